using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>Only the listeners, the channel and stdio cross from the master to a worker.</summary>
public sealed class InheritanceTests
{
    [Fact]
    public async Task FdsTheCallerLeftOpen_ReachTheMasterButNoWorker()
    {
        using var directory = new TempDirectory();
        var secret = directory.File("secret", "not for the app");
        var fifo = directory.Combine("stray.fifo");
        // A shell's `exec 9<file`, and a pipe on a high fd, as a careless supervisor leaves them.
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "2"], shellSetup: $"exec 9<'{secret}'; mkfifo '{fifo}'; exec 251<>'{fifo}'");
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);

        Assert.Contains(secret, LinkTargets(procman.Pid));
        Assert.Contains(fifo, LinkTargets(procman.Pid));
        foreach (var worker in procman.ReadyWorkers())
        {
            var targets = LinkTargets(worker);
            Assert.DoesNotContain(secret, targets);
            Assert.DoesNotContain(fifo, targets);
        }
        using var client = procman.CreateClient();
        Assert.Equal("ok\n", await client.GetStringAsync("/"));
    }

    private static string[] LinkTargets(int pid)
        => [.. Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "")];
}
