using System.Globalization;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class BootNiceTests
{
    private const int BootNice = 10;

    // The runtime's threads are up (main, finalizer, the hook's channel reader, ...): the worker is mid-boot, not just exec'd.
    private const int BootingThreads = 5;

    [Fact]
    public async Task BootNice_EveryThreadOfABootingWorkerRunsNiced_AndAtTheMastersPriorityOnceReady()
    {
        using var directory = new TempDirectory();
        var ticket = directory.Combine("boot");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", "--boot-nice", BootNice.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["TESTAPP_BOOT_TICKET"] = ticket });
        var pid = (await procman.WaitForEventsAsync(MasterEvent.WorkerStarted, 1, ProcmanHost.StartTimeout))[0].Int("Pid");

        var booting = await WaitForThreadsAsync(pid, BootingThreads);
        Assert.All(booting, thread => Assert.Equal(BootNice, thread.Nice));

        await File.WriteAllTextAsync(ticket, "");
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
        using var client = procman.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            await client.GetStringAsync("/pid");
        }

        var master = NiceOf(procman.Pid, procman.Pid)!.Value;
        Assert.All(Threads(pid), thread => Assert.Equal(master, thread.Nice));
        Assert.All(Threads(procman.Pid), thread => Assert.Equal(master, thread.Nice));
    }

    [Fact]
    public async Task BootNice_WithoutTheRightToRaiseAPriorityAgain_IsRefusedAtStart_NamingTheFix()
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", "-b", "127.0.0.1:0", "--boot-nice", "5"],
            wrapper: ["setpriv", "--bounding-set", "-sys_nice", "--inh-caps", "-sys_nice"]);

        Assert.Equal(2, await procman.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.StartsWith("procman: error:", StringComparison.Ordinal));
        Assert.Contains("boot_nice 5", error);
        Assert.Contains("CAP_SYS_NICE", error);
        Assert.Contains("set boot_nice to 0", error);
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerStarted);
    }

    private static async Task<IReadOnlyList<(int Tid, int Nice)>> WaitForThreadsAsync(int pid, int count)
    {
        using var bound = new CancellationTokenSource(ProcmanHost.StartTimeout);
        while (true)
        {
            var threads = Threads(pid);
            if (threads.Count >= count)
            {
                return threads;
            }
            await Task.Delay(20, bound.Token);
        }
    }

    private static IReadOnlyList<(int Tid, int Nice)> Threads(int pid)
        => [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
            .Select(task => int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))
            .Select(tid => (Tid: tid, Nice: NiceOf(pid, tid)))
            .Where(thread => thread.Nice is not null)
            .Select(thread => (thread.Tid, thread.Nice!.Value))];

    /// <summary>Field 19 of /proc/PID/task/TID/stat; null for a thread that has ended.</summary>
    private static int? NiceOf(int pid, int tid)
    {
        try
        {
            // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so count from the last ')'; state is field 3.
            var text = File.ReadAllText($"/proc/{pid}/task/{tid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
