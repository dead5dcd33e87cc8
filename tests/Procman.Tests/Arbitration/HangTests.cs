using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Protocol;

namespace Procman.Tests.Arbitration;

public sealed class HangTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly FakeProcessMetrics _metrics = new();
    private readonly FakeWorkerDiagnostics _diagnostics = new();
    private readonly RecordingLogger<Arbiter> _log = new();
    private readonly Channel<ArbiterEvent> _events = Channel.CreateUnbounded<ArbiterEvent>();

    [Fact]
    public void StarvedWorker_IsNamed_ItsStacksLogged_ThenKilled()
    {
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        Beat(arbiter, worker, new WorkerMessage.Heartbeat { ProbeWaiting = TimeSpan.FromSeconds(4), PoolThreads = 74 });
        _time.Advance(TimeSpan.FromSeconds(1));
        Tick(arbiter);
        Assert.Empty(worker.Actions);
        arbiter.Handle(NextEvent());

        Assert.Equal([HandleAction.Kill], worker.Actions);
        Assert.Contains(_log.Events, e => e.Id == 80 && e.Message.Contains("is hung: thread pool starved: a work item queued 5 s ago has not run", StringComparison.Ordinal));
        Assert.Contains(_log.Events, e => e.Id == 81 && e.Message.Contains("3 threads: Thread.Sleep <- Misbehaviour.Block", StringComparison.Ordinal));
        Assert.Null(Assert.Single(_diagnostics.Requests).Directory);
    }

    [Fact]
    public void HungWorker_WhoseStacksNeverCome_IsKilledAtTheBound()
    {
        _diagnostics.Answer = null;
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);
        _metrics.States[worker.Pid] = 'T';

        _time.Advance(TimeSpan.FromSeconds(5));
        Tick(arbiter);
        _time.Advance(Arbiter.DiagnosisBound - TimeSpan.FromMilliseconds(1));
        Tick(arbiter);
        Assert.Empty(worker.Actions);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Tick(arbiter);

        Assert.Equal([HandleAction.Kill], worker.Actions);
        Assert.Contains(_log.Events, e => e.Id == 80 && e.Message.Contains("is hung: process not running: stopped (state T", StringComparison.Ordinal));
        Assert.Contains(_log.Events, e => e.Id == 83);
    }

    [Fact]
    public void HeartbeatsThatKeepComing_WithProbesThatRun_NeverKill()
    {
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        for (var i = 0; i < 100; i++)
        {
            Beat(arbiter, worker, new WorkerMessage.Heartbeat { ProbeDelay = TimeSpan.FromMilliseconds(800), RequestsInFlight = 1, OldestRequest = TimeSpan.FromSeconds(i) });
            _time.Advance(TimeSpan.FromSeconds(1));
            Tick(arbiter);
        }

        Assert.Empty(worker.Actions);
        Assert.Empty(_diagnostics.Requests);
    }

    [Fact]
    public void ACrashLoop_IsNamedOnce_WithItsCause()
    {
        var arbiter = Create();
        var unhandled = "Unhandled exception. System.IO.IOException: Failed to bind to address http://127.0.0.1:5000: address already in use.";

        var first = arbiter.Ready(_launcher.Launched[0]);
        arbiter.Handle(new ArbiterEvent.WorkerExited(first.Key, new WorkerExit(134), [unhandled], [unhandled]));
        for (var i = 1; i <= 4; i++)
        {
            _time.Advance(RestartPolicy.MaxDelay);
            Tick(arbiter);
            arbiter.Handle(new ArbiterEvent.WorkerExited(_launcher.Launched[i].Key, new WorkerExit(134), [unhandled], [unhandled]));
        }

        var loop = Assert.Single(_log.Events, e => e.Id == 85);
        Assert.Contains("is in a crash loop (2 failures in a row", loop.Message);
        Assert.Contains("address already in use (System.IO.IOException: Failed to bind", loop.Message);
        Assert.Contains(_log.Events, e => e.Id == 5 && e.Message.Contains("address already in use", StringComparison.Ordinal));
    }

    private Arbiter Create()
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = 1,
            Timeout = TimeSpan.FromSeconds(5),
            Balance = false,
        };
        var arbiter = new Arbiter(new FakeWorkerPlans(options, _launcher), _events, _time, _log, _metrics, _diagnostics);
        arbiter.Start();
        return arbiter;
    }

    private static void Beat(Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker, WorkerMessage.Heartbeat report)
        => arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, report));

    private static void Tick(Arbiter arbiter) => arbiter.Handle(new ArbiterEvent.Tick());

    private ArbiterEvent NextEvent()
    {
        var read = _events.Reader.ReadAsync().AsTask();
        Assert.True(read.Wait(TimeSpan.FromSeconds(10)), "no event was posted");
        return read.Result;
    }
}
