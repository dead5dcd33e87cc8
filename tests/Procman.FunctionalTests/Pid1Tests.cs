using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>procman as a container's entrypoint: PID 1 of a PID namespace of its own, signalled from outside as a container runtime does.</summary>
public sealed class Pid1Tests
{
    private static readonly string[] Namespace = ["unshare", "--pid", "--fork", "--mount-proc"];

    [Fact]
    public async Task OrphanedGrandchildren_AreReaped()
    {
        var (procman, pid1) = await StartAsync();
        await using var _ = procman;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{procman.Port}"), Timeout = TimeSpan.FromSeconds(30) };

        await client.GetStringAsync("/orphan?ms=1500");

        // The orphan is re-parented to procman, then exits; nothing may stay behind as a zombie.
        await WaitUntilAsync(() => ProcessTable.ChildrenOf(pid1).Any(child => ProcessTable.CommandOf(child) == "sleep"), "the orphan to be re-parented to PID 1");
        await WaitUntilAsync(() => !ProcessTable.ChildrenOf(pid1).Any(child => ProcessTable.CommandOf(child) == "sleep"), "the orphan to exit");
        await WaitUntilAsync(() => ProcessTable.ZombieChildrenOf(pid1).Count == 0, "PID 1 to reap its zombies");
    }

    [Theory]
    [InlineData(Native.SigTerm)]
    [InlineData(Native.SigInt)]
    public async Task StopSignal_StopsProcman_AndExitCodeZeroReachesTheRuntime(int signal)
    {
        var (procman, pid1) = await StartAsync();
        await using var _ = procman;

        Native.Kill(pid1, signal);

        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(40)));
        Assert.Contains(procman.Events, e => e.Id == MasterEvent.Stopping);
    }

    [Fact]
    public async Task Usr2_AsPid1_IsRefused_SayingWhyAndWhatToDoInstead()
    {
        var (procman, pid1) = await StartAsync();
        await using var _ = procman;

        Native.Kill(pid1, Native.SigUsr2);

        var refused = await procman.WaitForEventsAsync(MasterEvent.UpgradeRefused, 1, ProcmanHost.StartTimeout);
        Assert.Contains("PID 1", refused[0].Text("Reason"));
        Assert.Contains("rolling restart", refused[0].Text("Reason"));
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.UpgradeStarted);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{procman.Port}"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal("ok\n", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task BootFailure_ExitCodeReachesTheRuntime()
    {
        const int BootFailure = 3;
        await using var procman = ProcmanHost.Start(
            Paths.TestApp, ["-w", "1", "-b", "127.0.0.1:0"], new Dictionary<string, string> { ["TESTAPP_FAIL_AT_BOOT"] = "1" }, wrapper: Namespace, ownPidNamespace: true);

        Assert.Equal(BootFailure, await procman.WaitForExitAsync(ProcmanHost.StartTimeout));
    }

    private static async Task<(ProcmanHost Procman, int Pid1)> StartAsync()
    {
        var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "2", "-b", "127.0.0.1:0"], wrapper: Namespace, ownPidNamespace: true);
        try
        {
            var ready = await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
            var pid1 = Assert.Single(ProcessTable.ChildrenOf(procman.Pid));
            Assert.Equal(1, procman.Events.First(e => e.Id == MasterEvent.Listening).Int("MasterPid"));
            Assert.NotEmpty(ready);
            return (procman, pid1);
        }
        catch
        {
            await procman.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 15 s for {what}");
            await Task.Delay(50);
        }
    }
}
