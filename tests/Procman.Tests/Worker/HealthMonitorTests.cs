using Microsoft.Extensions.Time.Testing;
using Procman.Worker.Health;
using Procman.Protocol;

namespace Procman.Tests.Worker;

public sealed class HealthMonitorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<IThreadPoolWorkItem> _queued = [];
    private readonly HealthMonitor _monitor;

    public HealthMonitorTests()
    {
        var requests = new RequestTracker(_time, 0, (_, _) => { });
        _monitor = new HealthMonitor(_time, TimeSpan.FromSeconds(1), requests, () => 0, _ => { }, _queued.Add);
    }

    [Fact]
    public void AProbeThatHasNotRun_IsReportedWithItsAge_AndNoSecondOneIsQueued()
    {
        _monitor.Sample();
        _time.Advance(TimeSpan.FromSeconds(1));
        _monitor.Sample();
        _time.Advance(TimeSpan.FromSeconds(1.5));

        var report = _monitor.Sample();

        Assert.Single(_queued);
        Assert.Equal(TimeSpan.FromSeconds(2.5), report.ProbeWaiting);
        Assert.Equal(TimeSpan.Zero, report.ProbeDelay);
    }

    [Fact]
    public void AProbeThatRan_IsReportedWithItsDelay_AndTheNextOneIsQueued()
    {
        _monitor.Sample();
        _time.Advance(TimeSpan.FromMilliseconds(40));
        _queued[0].Execute();
        _time.Advance(TimeSpan.FromSeconds(1));

        var report = _monitor.Sample();

        Assert.Equal(TimeSpan.FromMilliseconds(40), report.ProbeDelay);
        Assert.Equal(TimeSpan.Zero, report.ProbeWaiting);
        Assert.Equal(2, _queued.Count);
    }

    [Fact]
    public void TheRealThreadPool_RunsTheProbe()
    {
        var reports = new List<WorkerMessage.Heartbeat>();
        var requests = new RequestTracker(TimeProvider.System, 0, (_, _) => { });
        var monitor = new HealthMonitor(TimeProvider.System, TimeSpan.FromMilliseconds(20), requests, () => 0, report => { lock (reports) { reports.Add(report); } });

        monitor.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !Snapshot().Any(r => r.ProbeDelay > TimeSpan.Zero && r.PoolThreads > 0))
        {
            Thread.Sleep(20);
        }
        monitor.Stop();

        Assert.Contains(Snapshot(), r => r.ProbeDelay > TimeSpan.Zero && r.PoolThreads > 0);

        WorkerMessage.Heartbeat[] Snapshot()
        {
            lock (reports)
            {
                return [.. reports];
            }
        }
    }
}
