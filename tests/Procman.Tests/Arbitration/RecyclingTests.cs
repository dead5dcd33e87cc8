using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Protocol;
using Procman.Signals;

namespace Procman.Tests.Arbitration;

public sealed class RecyclingTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly FakeProcessMetrics _metrics = new();
    private readonly FakeWorkerDiagnostics _diagnostics = new();
    private readonly Channel<ArbiterEvent> _events = Channel.CreateUnbounded<ArbiterEvent>();
    private int _reopened;
    private FakeWorkerPlans? _plans;

    [Fact]
    public void MaxRequests_StartsTheReplacementFirst_ThenRetiresTheWorkerOnceItIsReady()
    {
        var arbiter = Create(o => o with { MaxRequests = 100 });
        var old = arbiter.Ready(_launcher.Launched[0]);

        Tick(arbiter);
        Assert.Single(_launcher.Launched);
        ReachMaxRequests(arbiter, old, 100);

        var replacement = _launcher.Launched[1];
        Assert.Equal(old.Slot, replacement.Slot);
        Assert.Empty(old.Sent);
        arbiter.Ready(replacement);
        Assert.Equal(ArbiterSteps.GracefulDrain, Assert.Single(old.Sent));
        Assert.Equal(1, arbiter.Workers.Count(w => w.State is WorkerState.Ready));
    }

    [Fact]
    public void AWorkerMayWarmUntilTheJitIsQuiet_OnlyWhileAnotherServes()
    {
        var arbiter = Create(o => o with { Workers = 2, MaxRequests = 100 });
        var first = _launcher.Launched.ToArray();
        // At start nobody serves: clients wait for the first workers, which get no tier-up part.
        Assert.All(first, w => Assert.False(w.OthersServing));
        Array.ForEach(first, w => arbiter.Ready(w));

        ReachMaxRequests(arbiter, first[0], 100);
        // A recycle's predecessor serves on until its replacement is ready: with reuse_port, the slot's own socket too.
        Assert.Equal(new HashSet<int> { first[0].Slot, first[1].Slot }, _launcher.Launched[2].ServingSlots);

        // Both gone at once: the replacement of the first is started with nobody ready.
        arbiter.Ready(_launcher.Launched[2]);
        arbiter.Exit(_launcher.Launched[2], 1);
        arbiter.Exit(first[1], 1);
        Tick(arbiter);
        Assert.Contains(_launcher.Launched.Skip(3), w => !w.OthersServing);
    }

    [Fact]
    public void Recycles_AreStaggered_OneSlotAtATime()
    {
        var arbiter = Create(o => o with { Workers = 3, MaxRequests = 10 });
        var workers = _launcher.Launched.ToArray();
        Array.ForEach(workers, w => arbiter.Ready(w));

        Array.ForEach(workers, w => ReachMaxRequests(arbiter, w, 10));
        Assert.Equal(4, _launcher.Launched.Count);

        arbiter.Ready(_launcher.Launched[3]);
        Tick(arbiter);
        Assert.Equal(4, _launcher.Launched.Count);

        arbiter.Exit(workers[0], 0);
        Tick(arbiter);
        Assert.Equal(5, _launcher.Launched.Count);
        Assert.Equal(workers[1].Slot, _launcher.Launched[4].Slot);
    }

    [Fact]
    public void ReplacementThatFailsToBoot_KeepsTheOldWorker_AndWaitsBeforeTryingAgain()
    {
        var arbiter = Create(o => o with { MaxRequests = 10 });
        var old = arbiter.Ready(_launcher.Launched[0]);
        ReachMaxRequests(arbiter, old, 10);

        arbiter.Exit(_launcher.Launched[1], 1);
        Tick(arbiter);

        Assert.Equal(2, _launcher.Launched.Count);
        Assert.Empty(old.Sent);
        Assert.False(arbiter.IsFinished);
        _time.Advance(RecyclePolicy.RetryAfterFailure);
        Tick(arbiter);
        Assert.Equal(3, _launcher.Launched.Count);
    }

    [Fact]
    public void MaxWorkerMemory_RecyclesOnlyAfterThreeSamplesInARowOverTheLimit()
    {
        var arbiter = Create(o => o with { MaxWorkerMemory = 100 });
        var worker = arbiter.Ready(_launcher.Launched[0]);

        _metrics.Resident[worker.Pid] = 150;
        SampleTick(arbiter);
        SampleTick(arbiter);
        _metrics.Resident[worker.Pid] = 90;
        SampleTick(arbiter);
        _metrics.Resident[worker.Pid] = 150;
        SampleTick(arbiter);
        SampleTick(arbiter);
        Assert.Single(_launcher.Launched);

        SampleTick(arbiter);
        Assert.Equal(2, _launcher.Launched.Count);
    }

    [Fact]
    public void MaxWorkerLifetime_RecyclesAfterTheDrawnLifetime()
    {
        var arbiter = Create(o => o with { MaxWorkerLifetime = TimeSpan.FromSeconds(60) });
        arbiter.Ready(_launcher.Launched[0]);

        _time.Advance(TimeSpan.FromSeconds(59));
        Tick(arbiter);
        Assert.Single(_launcher.Launched);
        _time.Advance(TimeSpan.FromSeconds(1));
        Tick(arbiter);
        Assert.Equal(2, _launcher.Launched.Count);
    }

    [Fact]
    public void Jitter_DrawsEachWorkersLifetimeWithinTheRange()
    {
        var policy = new RecyclePolicy(new Random(7));
        var options = Options(o => o with { MaxWorkerLifetime = TimeSpan.FromSeconds(100), MaxWorkerLifetimeJitter = TimeSpan.FromSeconds(10) });
        var start = _time.GetUtcNow();

        var limits = Enumerable.Range(0, 200).Select(_ => policy.Draw(options, start)).ToArray();

        Assert.All(limits, l => Assert.InRange(l.RetireAt!.Value, start.AddSeconds(100), start.AddSeconds(110)));
        Assert.True(limits.Select(l => l.RetireAt).Distinct().Count() > 10, "the jitter spreads the lifetimes");
    }

    [Fact]
    public void Ttin_AddsAWorkerInTheNextSlot_AndTtou_RetiresTheOldest()
    {
        var arbiter = Create(o => o with { Workers = 2 });
        var (first, second) = (arbiter.Ready(_launcher.Launched[0]), arbiter.Ready(_launcher.Launched[1]));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Ttin));
        Assert.Equal(3, _launcher.Launched[2].Slot);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Ttou));
        Assert.Single(first.Sent);
        Assert.Empty(second.Sent);
        Assert.Equal([first.Slot], _plans!.Released);
        arbiter.Exit(first, 0);
        Tick(arbiter);
        Assert.Equal(3, _launcher.Launched.Count);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Ttin));
        Assert.Equal(first.Slot, _launcher.Launched[3].Slot);
    }

    [Fact]
    public void Ttou_NeverGoesBelowOneWorker()
    {
        var arbiter = Create(o => o with { Workers = 1 });
        var only = arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Ttou));

        Assert.Empty(only.Sent);
        Assert.Empty(only.Actions);
        Assert.Empty(_plans!.Released);
    }

    [Fact]
    public void HungWorker_WithADumpDirectory_IsDumpedThenKilled()
    {
        var arbiter = Create(o => o with { Timeout = TimeSpan.FromSeconds(5), DumpDirectory = "/var/dumps" });
        var worker = arbiter.Ready(_launcher.Launched[0]);

        _time.Advance(TimeSpan.FromSeconds(5));
        Tick(arbiter);
        Assert.Empty(worker.Actions);
        var diagnosed = Assert.IsType<ArbiterEvent.Diagnosed>(NextEvent());
        arbiter.Handle(diagnosed);

        Assert.Equal([HandleAction.Kill], worker.Actions);
        var request = Assert.Single(_diagnostics.Requests);
        Assert.Contains("hung: no heartbeat at all: nothing for 5 s", request.Reason);
        Assert.Equal("/var/dumps", request.Directory);
        Assert.Equal("/var/dumps/" + worker.Pid + ".dmp", diagnosed.Diagnosis.DumpPath);
    }

    [Fact]
    public void Balance_SharesOnlyOnceTheTotalIsSteady_AndLiftsTheLimitWhileItMoves()
    {
        var arbiter = Create(o => o with { Workers = 2 });
        var (first, second) = (arbiter.Ready(_launcher.Launched[0]), arbiter.Ready(_launcher.Launched[1]));

        Report(arbiter, first, 30);
        Report(arbiter, second, 2);
        ShareTick(arbiter);
        ShareTick(arbiter);
        Report(arbiter, first, 50);
        ShareTick(arbiter);

        Assert.Equal([new MasterMessage.Share(16), new MasterMessage.Share(0)], first.Sent);
        Assert.Equal(first.Sent, second.Sent);
    }

    [Fact]
    public void Balance_RepeatsAShareEverySecond_ButSaysNoLimitOnlyOnce()
    {
        var arbiter = Create(o => o with { Workers = 2 });
        var (first, second) = (arbiter.Ready(_launcher.Launched[0]), arbiter.Ready(_launcher.Launched[1]));

        ShareTick(arbiter);
        ShareTick(arbiter);
        Report(arbiter, first, 20);
        Report(arbiter, second, 20);
        ShareTick(arbiter);
        ShareTick(arbiter);
        ShareTick(arbiter);
        Report(arbiter, first, 0);
        Report(arbiter, second, 0);
        ShareTick(arbiter);
        ShareTick(arbiter);
        ShareTick(arbiter);

        Assert.Equal([new MasterMessage.Share(20), new MasterMessage.Share(20), new MasterMessage.Share(0)], first.Sent);
        Assert.Equal(first.Sent, second.Sent);
    }

    [Fact]
    public void Usr1_ReopensTheLogs_AndForwardsToEveryWorker()
    {
        var arbiter = Create(o => o with { Workers = 2 });

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr1));

        Assert.Equal(1, _reopened);
        Assert.All(_launcher.Launched, w => Assert.Equal([HandleAction.ReopenLogs], w.Actions));
    }

    private ArbiterEvent NextEvent()
    {
        var read = _events.Reader.ReadAsync().AsTask();
        Assert.True(read.Wait(TimeSpan.FromSeconds(10)), "no event was posted");
        return read.Result;
    }

    private Arbiter Create(Func<ProcmanOptions, ProcmanOptions> configure)
    {
        _plans = new FakeWorkerPlans(Options(configure), _launcher);
        var arbiter = new Arbiter(
            _plans, _events, _time, NullLogger<Arbiter>.Instance,
            _metrics, _diagnostics, () => _reopened++, new Random(1));
        arbiter.Start();
        return arbiter;
    }

    private static ProcmanOptions Options(Func<ProcmanOptions, ProcmanOptions> configure) => configure(new ProcmanOptions
    {
        App = new AppCommand("/srv/app/App.dll", []),
        Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
        Workers = 1,
        // No heartbeats flow in these tests: the hung-worker check would otherwise fire as the clock moves.
        Timeout = TimeSpan.Zero,
    });

    private void Tick(Arbiter arbiter) => arbiter.Handle(new ArbiterEvent.Tick());

    private void SampleTick(Arbiter arbiter)
    {
        _time.Advance(RecyclePolicy.MemorySampleInterval);
        Tick(arbiter);
    }

    private static void Report(Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker, int open)
        => arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, new WorkerMessage.Heartbeat { KeepAliveConnections = open }));

    private void ShareTick(Arbiter arbiter)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        Tick(arbiter);
    }

    private static void ReachMaxRequests(Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker, long limit)
    {
        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, new WorkerMessage.MaxRequestsReached(limit, limit)));
        arbiter.Handle(new ArbiterEvent.Tick());
    }
}
