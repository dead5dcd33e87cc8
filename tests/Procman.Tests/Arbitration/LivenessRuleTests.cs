using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Protocol;

namespace Procman.Tests.Arbitration;

public sealed class LivenessRuleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly global::Procman.Arbitration.Worker _worker;

    public LivenessRuleTests()
    {
        _worker = new global::Procman.Arbitration.Worker(1, 1, 0, new FakeWorkerLauncher.FakeWorker(1, 1, 1001), _time.GetUtcNow());
        _worker.Enter(new WorkerState.Ready());
    }

    [Fact]
    public void AProbeWaitingForTheTimeout_IsAStarvedThreadPool_CountingTheTimeSinceTheReport()
    {
        Beat(new WorkerMessage.Heartbeat { ProbeWaiting = TimeSpan.FromSeconds(29.5), PoolThreads = 74, QueuedItems = 130, RequestsInFlight = 40 });
        Assert.Null(Check());

        _time.Advance(TimeSpan.FromSeconds(0.5));
        var hang = Check();

        Assert.Equal(HangKind.ThreadPoolStarved, hang?.Kind);
        Assert.StartsWith("thread pool starved: a work item queued 30 s ago has not run (timeout 30 s); 74 pool threads, 130 work items queued", hang!.ToString());
    }

    [Fact]
    public void WorkThatStaysQueuedWhileThePoolCompletesLess_IsAStarvedThreadPool_ThoughTheProbeRuns()
    {
        // A deadlock under load: requests wait in blocked threads' local queues (new ones arrive as fast as new
        // threads take them and block), while the probe runs on each new thread.
        for (var second = 0; second < 30; second++)
        {
            Beat(new WorkerMessage.Heartbeat { QueuedItems = 35 + (second % 3), CompletedItems = 1, ProbeDelay = TimeSpan.FromMilliseconds(600), PoolThreads = 13 + second });
            Assert.Null(Check());
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        Beat(new WorkerMessage.Heartbeat { QueuedItems = 35, CompletedItems = 1, ProbeDelay = TimeSpan.FromMilliseconds(600), PoolThreads = 43 });

        var hang = Check();

        Assert.Equal(HangKind.ThreadPoolStarved, hang?.Kind);
        Assert.StartsWith("thread pool starved: work items stayed queued for 30 s (at least 35 all along) while the pool completed 30", hang!.ToString());
    }

    [Fact]
    public void AQueueThatIsServed_IsNotAStall_HoweverLongItStaysNonEmpty()
    {
        for (var second = 0; second < 120; second++)
        {
            Beat(new WorkerMessage.Heartbeat { QueuedItems = 60, CompletedItems = second == 100 ? 10 : 20000 });
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Null(Check());
        }
    }

    [Fact]
    public void ABusyWorker_IsNotHung()
    {
        // Both cores saturated, a 60 s request in flight, a 2 s GC pause: the probe still runs.
        for (var second = 0; second < 120; second++)
        {
            Beat(new WorkerMessage.Heartbeat
            {
                ProbeDelay = TimeSpan.FromMilliseconds(second % 10 == 0 ? 900 : 15),
                ProbeWaiting = second % 7 == 0 ? TimeSpan.FromSeconds(2) : TimeSpan.Zero,
                RequestsInFlight = 64,
                OldestRequest = TimeSpan.FromSeconds(Math.Min(second, 60)),
                GcPause = second == 50 ? TimeSpan.FromSeconds(2) : TimeSpan.Zero,
            });
            _time.Advance(second == 50 ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(1));
            Assert.Null(Check());
        }
    }

    [Fact]
    public void SilenceOfAStoppedProcess_IsNotRunning()
    {
        Beat(new WorkerMessage.Heartbeat { PoolThreads = 5 });
        _time.Advance(Timeout);

        var hang = LivenessRule.Check(_worker, _time.GetUtcNow(), Timeout, () => 'T');

        Assert.Equal(HangKind.NotRunning, hang?.Kind);
        Assert.StartsWith("process not running: stopped (state T: SIGSTOP or a job-control stop), no heartbeat for 30 s", hang!.ToString());
    }

    [Fact]
    public void SilenceOfARunningProcess_IsNoHeartbeatAtAll()
    {
        _time.Advance(TimeSpan.FromSeconds(29.9));
        Assert.Null(Check());
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var hang = Check();

        Assert.Equal(HangKind.NoHeartbeat, hang?.Kind);
        Assert.Equal("no heartbeat at all: nothing for 30 s (timeout 30 s) although the process is sleeping (state S)", hang!.ToString());
    }

    private Hang? Check() => LivenessRule.Check(_worker, _time.GetUtcNow(), Timeout, () => 'S');

    private void Beat(WorkerMessage.Heartbeat report)
    {
        _worker.LastHeartbeat = _time.GetUtcNow();
        _worker.Health = report;
        _worker.Pool.Record(_worker.LastHeartbeat, report, Timeout + Timeout);
    }
}
