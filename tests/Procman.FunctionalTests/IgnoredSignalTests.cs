using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>
/// A signal ignored when a process starts stays ignored through exec, and .NET installs no handler for it:
/// nohup ignores SIGHUP, a shell's background job SIGINT and SIGQUIT. The master answers them all regardless.
/// </summary>
public sealed class IgnoredSignalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task UnderNohup_HupStillReloads_AndTheNewWorkerServes()
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", ProcmanHost.NoWarmup], wrapper: ["nohup"]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
        var old = procman.ReadyWorkers();

        procman.Signal(Native.SigHup);

        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Bound);
        await procman.WaitForEventAsync(_ => old.All(pid => !ProcessTable.IsAlive(pid)), Bound, "the old worker to exit");
        var current = Assert.Single(procman.ReadyWorkers());
        Assert.DoesNotContain(current, old);
        using var client = procman.CreateClient();
        Assert.Equal(current.ToString(), await client.GetStringAsync("/pid"));
    }

    [Fact]
    public async Task EverySignalTheMasterAnswers_IsAnsweredAsDocumented_WhenItWasIgnoredAtStart()
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", ProcmanHost.NoWarmup],
            shellSetup: "trap '' HUP INT QUIT TERM TTIN TTOU WINCH USR1 USR2");
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        procman.Signal(Native.SigTtin);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, Bound);
        procman.Signal(Native.SigTtou);
        await procman.WaitForEventsAsync(MasterEvent.Scaled, 2, Bound);
        procman.Signal(Native.SigUsr1);
        procman.Signal(Native.SigWinch);
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.SignalIgnored && e.Text("Signal") == "SIGWINCH", Bound, "SIGWINCH to be received");
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Bound);
        procman.Signal(Native.SigTerm);

        Assert.Equal(0, await procman.WaitForExitAsync(Bound));
        var received = procman.Events.Where(e => e.Id == MasterEvent.SignalReceived).Select(e => e.Text("Signal"));
        Assert.Equal(["SIGTTIN", "SIGTTOU", "SIGUSR1", "SIGHUP", "SIGTERM"], received);
    }
}
