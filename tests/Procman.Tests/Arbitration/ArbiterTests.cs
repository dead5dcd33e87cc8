using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Protocol;
using Procman.Signals;

namespace Procman.Tests.Arbitration;

public sealed class ArbiterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private FakeWorkerPlans _plans = null!;

    [Fact]
    public void Start_LaunchesOneWorkerPerSlot()
    {
        Create(workers: 3).Start();

        Assert.Equal([1, 2, 3], _launcher.Launched.Select(w => w.Slot));
    }

    [Fact]
    public void CrashOfAReadyWorker_IsReplacedAtOnce_ThenWithBackoff()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        var first = arbiter.Ready(_launcher.Launched[0]);

        arbiter.Exit(first, 137);
        var second = Assert.Single(_launcher.Launched.Skip(1));
        arbiter.Ready(second);
        arbiter.Exit(second, 137);

        Assert.Equal(2, _launcher.Launched.Count);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Equal(2, _launcher.Launched.Count);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Equal(3, _launcher.Launched.Count);
        Assert.Equal(1, _launcher.Launched[2].Slot);
    }

    [Fact]
    public void WorkerFailingBeforeReady_AtStartUp_StopsEverythingWithTheBootFailureCode()
    {
        var arbiter = Create(workers: 2);
        arbiter.Start();
        var (failing, other) = (_launcher.Launched[0], _launcher.Launched[1]);
        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(failing.Key, new WorkerMessage.Attached()));

        arbiter.Handle(new ArbiterEvent.WorkerExited(failing.Key, new WorkerExit(1), ["Unhandled exception: boom"]));

        Assert.Contains(HandleAction.Terminate, other.Actions);
        arbiter.Exit(other, 143);
        Assert.True(arbiter.IsFinished);
        Assert.Equal(ExitCodes.BootFailure, arbiter.Outcome.ExitCode);
        Assert.Contains("exited before it was ready", arbiter.Outcome.Error);
        Assert.Equal(2, _launcher.Launched.Count);
    }

    [Fact]
    public void WorkerExiting150BeforeAttaching_AtStartUp_IsAMissingFramework_NamedFromTheHostsOutput()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();

        arbiter.Handle(new ArbiterEvent.WorkerExited(_launcher.Launched[0].Key, new WorkerExit(WorkerExit.FrameworkMissing),
            ["You must install or update .NET to run this application.", "Framework: 'Microsoft.AspNetCore.App', version '9.0.0' (x64)"]));

        Assert.True(arbiter.IsFinished);
        Assert.Equal(ExitCodes.AppNotFound, arbiter.Outcome.ExitCode);
        Assert.Contains("did not find the framework Microsoft.AspNetCore.App 9.0.0 that the app needs (exit code 150)", arbiter.Outcome.Error);
    }

    [Theory]
    [InlineData(150, null, false, "exit code 150")]
    [InlineData(143, null, false, "exit code 143")]
    [InlineData(null, 15, false, "killed by SIGTERM")]
    [InlineData(null, 11, true, "killed by SIGSEGV (core dumped)")]
    [InlineData(null, null, false, "exit status unknown")]
    public void WorkerExit_TellsAnExitCodeFromASignal(int? code, int? signal, bool dumped, string expected)
        => Assert.Equal(expected, new WorkerExit(code, signal, dumped).ToString());

    [Fact]
    public void WorkerExitingBeforeAttaching_IsReportedAsAnAppProcmanCannotAttachTo()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();

        arbiter.Exit(_launcher.Launched[0], 1);

        Assert.Contains("before procman could attach to the app's host", arbiter.Outcome.Error);
        Assert.Contains("preventHostingStartup", arbiter.Outcome.Error);
    }

    [Fact]
    public void Reload_RetiresOldWorkersOnlyOnceEveryNewOneIsReady()
    {
        var arbiter = Create(workers: 2);
        arbiter.Start();
        var old = _launcher.Launched.ToArray();
        Array.ForEach(old, w => arbiter.Ready(w));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        var fresh = _launcher.Launched.Skip(2).ToArray();
        Assert.Equal(2, fresh.Length);
        arbiter.Ready(fresh[0]);
        Assert.All(old, w => Assert.Empty(w.Sent));

        arbiter.Ready(fresh[1]);
        Assert.All(old, w => Assert.Equal(ArbiterSteps.GracefulDrain, Assert.Single(w.Sent)));
        Assert.All(old, w => Assert.IsType<WorkerState.Draining>(arbiter.Workers.Single(x => x.Pid == w.Pid).State));

        Array.ForEach(old, w => arbiter.Exit(w, 0));
        Assert.Equal(4, _launcher.Launched.Count);
        Assert.Equal(fresh.Select(w => w.Pid).Order(), arbiter.Workers.Select(w => w.Pid).Order());
    }

    [Fact]
    public void Reload_WhenANewWorkerFailsToBoot_KeepsTheOldOnesAndDropsTheRest()
    {
        var arbiter = Create(workers: 2);
        arbiter.Start();
        var old = _launcher.Launched.ToArray();
        Array.ForEach(old, w => arbiter.Ready(w));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        var fresh = _launcher.Launched.Skip(2).ToArray();
        arbiter.Ready(fresh[0]);
        arbiter.Exit(fresh[1], 1);

        Assert.All(old, w => Assert.Empty(w.Sent));
        Assert.Contains(ArbiterSteps.GracefulDrain, fresh[0].Sent);
        arbiter.Exit(fresh[0], 0);
        Assert.Equal(old.Select(w => w.Pid).Order(), arbiter.Workers.Select(w => w.Pid).Order());
        Assert.All(arbiter.Workers, w => Assert.IsType<WorkerState.Ready>(w.State));
        Assert.False(arbiter.IsFinished);
    }

    [Fact]
    public void Reload_WithAnInvalidConfiguration_StartsNothing_AndKeepsTheWorkers()
    {
        var arbiter = Create(workers: 2);
        arbiter.Start();
        Array.ForEach(_launcher.Launched.ToArray(), w => arbiter.Ready(w));
        _plans.NextError = "procman.conf.py:3: invalid workers: expected an integer, got str 'many'";

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));

        Assert.Equal(2, _launcher.Launched.Count);
        Assert.All(_launcher.Launched, w => Assert.Empty(w.Sent));
    }

    [Fact]
    public void Reload_WithMoreWorkersConfigured_StartsTheNewCount_AndRetiresTheOld()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        var old = arbiter.Ready(_launcher.Launched[0]);
        _plans.NextOptions = _plans.Current.Options with { Workers = 3 };

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        var fresh = _launcher.Launched.Skip(1).ToArray();
        Array.ForEach(fresh, w => arbiter.Ready(w));

        Assert.Equal([1, 2, 3], fresh.Select(w => w.Slot));
        Assert.Single(old.Sent);
        Assert.Equal(3, _plans.Current.Options.Workers);
    }

    [Fact]
    public void Reload_ThatFails_AbandonsItsPlan()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        arbiter.Exit(_launcher.Launched[1], 1);

        Assert.Single(_plans.Abandoned);
        Assert.Equal(1, _plans.Current.Options.Workers);
    }

    [Fact]
    public void HupDuringAReload_RunsAnotherReloadAfterIt()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        Assert.Equal(2, _launcher.Launched.Count);
        arbiter.Ready(_launcher.Launched[1]);

        Assert.Equal(3, _launcher.Launched.Count);
    }

    [Fact]
    public void WorkerWithoutHeartbeat_IsKilledAfterTheTimeout_AndReplaced()
    {
        var arbiter = Create(workers: 1, timeout: TimeSpan.FromSeconds(10));
        arbiter.Start();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        _time.Advance(TimeSpan.FromSeconds(9));
        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, new WorkerMessage.Heartbeat()));
        _time.Advance(TimeSpan.FromSeconds(9.9));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Empty(worker.Actions);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Equal([HandleAction.Kill], worker.Actions);

        arbiter.Exit(worker, 137);
        Assert.Equal(2, _launcher.Launched.Count);
    }

    [Fact]
    public void WorkerNotReadyWithinBootTimeout_IsKilled()
    {
        var arbiter = Create(workers: 1, bootTimeout: TimeSpan.FromSeconds(60));
        arbiter.Start();
        var worker = _launcher.Launched[0];

        _time.Advance(TimeSpan.FromSeconds(59));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Empty(worker.Actions);
        _time.Advance(TimeSpan.FromSeconds(1));
        arbiter.Handle(new ArbiterEvent.Tick());

        Assert.Equal([HandleAction.Kill], worker.Actions);
        arbiter.Exit(worker, 137);
        Assert.Contains("boot_timeout", arbiter.Outcome.Error);
    }

    [Fact]
    public void GracefulStop_DrainsEveryWorker_KillsThoseLeftAfterTheGracefulTimeoutAndMargin_AndExitsZero()
    {
        // No heartbeat timeout: the slow worker must be killed by the stop's deadline, not as hung.
        var arbiter = Create(workers: 2, timeout: TimeSpan.Zero);
        arbiter.Start();
        var (slow, quick) = (arbiter.Ready(_launcher.Launched[0]), arbiter.Ready(_launcher.Launched[1]));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));
        Assert.Equal(ArbiterSteps.GracefulDrain, Assert.Single(slow.Sent));
        Assert.Empty(slow.Actions);
        arbiter.Exit(quick, 0);
        _time.Advance(TimeSpan.FromSeconds(34));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Empty(slow.Actions);
        _time.Advance(TimeSpan.FromSeconds(1));
        arbiter.Handle(new ArbiterEvent.Tick());

        Assert.Equal([HandleAction.Kill], slow.Actions);
        Assert.False(arbiter.IsFinished);
        arbiter.Exit(slow, 137);
        Assert.True(arbiter.IsFinished);
        Assert.Equal((0, null), arbiter.Outcome);
        Assert.Equal(2, _launcher.Launched.Count);
    }

    [Fact]
    public void QuickStop_KillsAfterOneSecond()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Int));
        _time.Advance(TimeSpan.FromSeconds(1));
        arbiter.Handle(new ArbiterEvent.Tick());

        Assert.Equal([HandleAction.Terminate, HandleAction.Kill], worker.Actions);
    }

    [Fact]
    public void FiveBootFailuresInARow_WithNoWorkerServing_GiveUp()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        arbiter.Exit(arbiter.Ready(_launcher.Launched[0]), 137);

        for (var failure = 1; failure <= 5; failure++)
        {
            var worker = _launcher.Launched[^1];
            arbiter.Exit(worker, 1);
            _time.Advance(RestartPolicy.MaxDelay);
            arbiter.Handle(new ArbiterEvent.Tick());
        }

        Assert.Equal(ExitCodes.BootFailure, arbiter.Outcome.ExitCode);
        Assert.Contains("5 times in a row", arbiter.Outcome.Error);
    }

    private Arbiter Create(int workers, TimeSpan? timeout = null, TimeSpan? bootTimeout = null)
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = workers,
            Backlog = 2048,
            GracefulTimeout = TimeSpan.FromSeconds(30),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            BootTimeout = bootTimeout ?? TimeSpan.FromSeconds(120),
            Environment = [],
            LogLevel = "info",
            LogFormat = "text",
        };
        _plans = new FakeWorkerPlans(options, _launcher);
        return new Arbiter(_plans, Channel.CreateUnbounded<ArbiterEvent>(), _time, NullLogger<Arbiter>.Instance);
    }
}
