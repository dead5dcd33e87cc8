using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Protocol;
using Procman.Signals;

namespace Procman.Tests.Arbitration;

/// <summary>Every transition the arbiter makes, with the data each state carries.</summary>
public sealed class WorkerLifecycleTests
{
    private static readonly TimeSpan GracefulTimeout = TimeSpan.FromSeconds(30);

    // The arbiter's margin beyond the graceful timeout before a retiring worker is killed.
    private static readonly TimeSpan KillMargin = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly FakeWorkerDiagnostics _diagnostics = new();
    private readonly Channel<ArbiterEvent> _events = Channel.CreateUnbounded<ArbiterEvent>();

    [Fact]
    public void ANewWorker_IsStarting_ThenReadyWhenItSaysSo()
    {
        var arbiter = Create();

        Assert.IsType<WorkerState.Starting>(StateOf(arbiter, _launcher.Launched[0]));
        arbiter.Ready(_launcher.Launched[0]);
        Assert.Equal(new WorkerState.Ready(), StateOf(arbiter, _launcher.Launched[0]));
    }

    [Fact]
    public void Reload_DrainsTheOldWorker_WithADeadlineOfTheGracefulTimeoutAndAMargin()
    {
        var arbiter = Create();
        var old = arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        arbiter.Ready(_launcher.Launched[1]);

        var draining = Assert.IsType<WorkerState.Draining>(StateOf(arbiter, old));
        Assert.Equal(_time.GetUtcNow() + GracefulTimeout + KillMargin, draining.Deadline);
        Assert.False(draining.Recycled);
        Assert.Equal(ArbiterSteps.GracefulDrain, Assert.Single(old.Sent));
    }

    [Fact]
    public void ADrainingWorker_StillThereAtItsDeadline_IsKilledOnce()
    {
        var arbiter = Create();
        var old = arbiter.Ready(_launcher.Launched[0]);
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        arbiter.Ready(_launcher.Launched[1]);

        _time.Advance(GracefulTimeout + KillMargin);
        arbiter.Handle(new ArbiterEvent.Tick());
        _time.Advance(TimeSpan.FromSeconds(1));
        arbiter.Handle(new ArbiterEvent.Tick());

        Assert.Equal([HandleAction.Kill], old.Actions);
        Assert.Null(StateOf(arbiter, old).KillAt);
    }

    [Fact]
    public void ARecycle_LinksTheWorkerAndItsReplacement_UntilTheReplacementIsReady()
    {
        var arbiter = Create(o => o with { MaxRequests = 10 });
        var old = arbiter.Ready(_launcher.Launched[0]);

        ReachMaxRequests(arbiter, old, 10);
        var replacement = _launcher.Launched[1];

        var recycling = Assert.IsType<WorkerState.Recycling>(StateOf(arbiter, old));
        Assert.Same(WorkerOf(arbiter, replacement), recycling.Replacement);
        Assert.Same(WorkerOf(arbiter, old), Assert.IsType<WorkerState.Starting>(StateOf(arbiter, replacement)).Replacing);

        arbiter.Ready(replacement);
        Assert.True(Assert.IsType<WorkerState.Draining>(StateOf(arbiter, old)).Recycled);
        Assert.Equal(new WorkerState.Ready(), StateOf(arbiter, replacement));
    }

    [Fact]
    public void AFailedRecycle_PutsTheWorkerBackToReady_WithNoNewRecycleForAWhile()
    {
        var arbiter = Create(o => o with { MaxRequests = 10 });
        var old = arbiter.Ready(_launcher.Launched[0]);
        ReachMaxRequests(arbiter, old, 10);

        arbiter.Exit(_launcher.Launched[1], 1);

        var ready = Assert.IsType<WorkerState.Ready>(StateOf(arbiter, old));
        Assert.Equal(_time.GetUtcNow() + RecyclePolicy.RetryAfterFailure, ready.RecycleNotBefore);
    }

    [Fact]
    public void ARecycledWorkerDying_LeavesItsReplacementStartingOnItsOwn()
    {
        var arbiter = Create(o => o with { MaxRequests = 10 });
        var old = arbiter.Ready(_launcher.Launched[0]);
        ReachMaxRequests(arbiter, old, 10);

        arbiter.Exit(old, 137);

        Assert.Equal(new WorkerState.Starting(), StateOf(arbiter, _launcher.Launched[1]));
        Assert.Equal(2, _launcher.Launched.Count);
    }

    [Fact]
    public void AWorkerNotReadyWithinTheBootTimeout_IsKilling_AsABootFailure()
    {
        var arbiter = Create(o => o with { BootTimeout = TimeSpan.FromSeconds(10) });
        var worker = _launcher.Launched[0];

        _time.Advance(TimeSpan.FromSeconds(10));
        arbiter.Handle(new ArbiterEvent.Tick());

        var killing = Assert.IsType<WorkerState.Killing>(StateOf(arbiter, worker));
        Assert.True(killing.BeforeReady);
        Assert.Null(killing.Deadline);
        Assert.Equal([HandleAction.Kill], worker.Actions);
        arbiter.Exit(worker, 137);
        Assert.Equal(ExitCodes.BootFailure, arbiter.Outcome.ExitCode);
    }

    [Fact]
    public void AHungWorker_IsKillingWithTheDiagnosisBound_AndKilledOnceItsStacksAreRead()
    {
        var arbiter = Create(o => o with { Timeout = TimeSpan.FromSeconds(5), DumpDirectory = "/tmp" });
        var worker = arbiter.Ready(_launcher.Launched[0]);

        _time.Advance(TimeSpan.FromSeconds(5));
        arbiter.Handle(new ArbiterEvent.Tick());

        var killing = Assert.IsType<WorkerState.Killing>(StateOf(arbiter, worker));
        Assert.False(killing.BeforeReady);
        Assert.NotNull(killing.Deadline);
        Assert.Empty(worker.Actions);
        arbiter.Handle(new ArbiterEvent.Diagnosed(worker.Key, new WorkerDiagnosis("    1 thread: Thread.Sleep", null, "/tmp/dump")));
        Assert.Equal([HandleAction.Kill], worker.Actions);
        Assert.Null(StateOf(arbiter, worker).KillAt);
    }

    [Fact]
    public void AGracefulStop_PutsEveryWorkerInStopping_AndAQuickStopAfterItShortensTheDeadline()
    {
        var arbiter = Create(o => o with { Workers = 2 });
        var ready = arbiter.Ready(_launcher.Launched[0]);
        var starting = _launcher.Launched[1];

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));
        // Told to drain within the graceful timeout, and killed 5 s after it.
        var deadline = _time.GetUtcNow() + GracefulTimeout + KillMargin;
        Assert.Equal(new WorkerState.Stopping(deadline), StateOf(arbiter, ready));
        Assert.Equal(new WorkerState.Stopping(deadline), StateOf(arbiter, starting));
        Assert.Equal([new MasterMessage.Drain(GracefulTimeout)], ready.Sent);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Int));
        Assert.Equal(new WorkerState.Stopping(_time.GetUtcNow() + TimeSpan.FromSeconds(1)), StateOf(arbiter, ready));
        Assert.Equal([HandleAction.Terminate], ready.Actions);
    }

    [Fact]
    public void AStoppingWorker_ThatBecomesReady_StaysStopping()
    {
        var arbiter = Create();
        var worker = _launcher.Launched[0];
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));

        arbiter.Ready(worker);

        Assert.IsType<WorkerState.Stopping>(StateOf(arbiter, worker));
    }

    [Fact]
    public void AnExitedWorker_LeavesTheTable()
    {
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        arbiter.Exit(worker, 137);

        Assert.DoesNotContain(arbiter.Workers, w => w.Key == worker.Key);
        Assert.True(worker.Disposed);
    }

    [Theory]
    [InlineData("Starting", "Ready", true)]
    [InlineData("Ready", "Recycling", true)]
    [InlineData("Recycling", "Ready", true)]
    [InlineData("Ready", "Draining", true)]
    [InlineData("Starting", "Killing", true)]
    [InlineData("Draining", "Exited", true)]
    [InlineData("Ready", "Starting", false)]
    [InlineData("Draining", "Ready", false)]
    [InlineData("Killing", "Ready", false)]
    [InlineData("Stopping", "Ready", false)]
    [InlineData("Starting", "Recycling", false)]
    [InlineData("Exited", "Exited", false)]
    public void CanMoveTo_AllowsOnlyTheTransitionsOfTheLifecycle(string from, string to, bool legal)
    {
        Assert.Equal(legal, Sample(from).CanMoveTo(Sample(to)));
    }

    [Fact]
    public void Enter_RefusesAnIllegalTransition()
    {
        var worker = new Procman.Arbitration.Worker(1, 1, 0, new FakeWorkerLauncher().Launch(1, 1, new HashSet<int>()), DateTimeOffset.UnixEpoch);
        worker.Enter(new WorkerState.Ready());

        Assert.Throws<InvalidOperationException>(() => worker.Enter(new WorkerState.Starting()));
    }

    private static WorkerState Sample(string name)
    {
        var other = new Procman.Arbitration.Worker(9, 1, 0, new FakeWorkerLauncher().Launch(9, 1, new HashSet<int>()), DateTimeOffset.UnixEpoch);
        return name switch
        {
            "Starting" => new WorkerState.Starting(),
            "Ready" => new WorkerState.Ready(),
            "Recycling" => new WorkerState.Recycling("max_requests", other),
            "Draining" => new WorkerState.Draining("reload", false, DateTimeOffset.UnixEpoch),
            "Killing" => new WorkerState.Killing("hung", false, null, null),
            "Stopping" => new WorkerState.Stopping(DateTimeOffset.UnixEpoch),
            _ => new WorkerState.Exited(new WorkerExit(0)),
        };
    }

    private static Procman.Arbitration.Worker WorkerOf(Arbiter arbiter, FakeWorkerLauncher.FakeWorker fake) => arbiter.Workers.Single(w => w.Key == fake.Key);

    private static WorkerState StateOf(Arbiter arbiter, FakeWorkerLauncher.FakeWorker fake) => WorkerOf(arbiter, fake).State;

    private static void ReachMaxRequests(Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker, long limit)
    {
        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, new WorkerMessage.MaxRequestsReached(limit, limit)));
        arbiter.Handle(new ArbiterEvent.Tick());
    }

    private Arbiter Create(Func<ProcmanOptions, ProcmanOptions>? configure = null)
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = 1,
            GracefulTimeout = GracefulTimeout,
            Timeout = TimeSpan.Zero,
            Environment = [],
            LogLevel = "info",
            LogFormat = "text",
        };
        var plans = new FakeWorkerPlans((configure ?? (o => o))(options), _launcher);
        var arbiter = new Arbiter(plans, _events, _time, NullLogger<Arbiter>.Instance, new FakeProcessMetrics(), _diagnostics, random: new Random(1));
        arbiter.Start();
        return arbiter;
    }
}
