using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class SystemdNotifyTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartReloadStop_SendReadyReloadingReadyStopping_InThatOrder(bool abstractName)
    {
        using var directory = new TempDirectory();
        using var notify = new NotifySocket(directory.Path, abstractName);
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "2", ProcmanHost.NoWarmup], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Address });

        await notify.WaitForAsync("READY=1", 1, ProcmanHost.StartTimeout);
        Assert.Equal(2, procman.ReadyWorkers().Count);
        Assert.Contains($"MAINPID={procman.Pid}", notify.Fields);
        Assert.Contains("STATUS=2/2 workers ready, generation 0", notify.Fields);

        procman.Signal(Native.SigHup);
        await notify.WaitForAsync("READY=1", 2, ProcmanHost.StartTimeout);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, ProcmanHost.StartTimeout);
        Assert.Contains("STATUS=2/2 workers ready, generation 1", notify.Fields);

        procman.Signal(Native.SigTerm);
        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var states = notify.States.Where(state => state is not "EXTEND_TIMEOUT_USEC").ToArray();
        Assert.Equal(["MAINPID", "READY", "RELOADING", "MONOTONIC_USEC", "READY", "STOPPING"], states);
    }

    [Fact]
    public async Task Watchdog_IsPinged_WhileWorkersAreHealthy()
    {
        using var directory = new TempDirectory();
        using var notify = new NotifySocket(directory.Path);
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1"], new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Address,
            ["WATCHDOG_USEC"] = "1000000",
        });

        await notify.WaitForAsync("READY=1", 1, ProcmanHost.StartTimeout);

        await notify.WaitForAsync("WATCHDOG=1", 4, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Workers_SeeNoneOfTheVariablesSystemdMeantForProcman()
    {
        using var directory = new TempDirectory();
        using var notify = new NotifySocket(directory.Path);
        var variables = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Address,
            ["WATCHDOG_USEC"] = "30000000",
            ["WATCHDOG_PID"] = "1",
            ["LISTEN_FDS"] = "1",
            ["LISTEN_PID"] = "1",
            ["LISTEN_FDNAMES"] = "web",
        };
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1"], variables);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
        using var client = procman.CreateClient();

        foreach (var name in variables.Keys)
        {
            Assert.Equal("(unset)", await client.GetStringAsync($"/env?name={name}"));
        }
    }
}
