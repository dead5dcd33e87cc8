using System.Diagnostics.Metrics;

namespace Procman.Control;

/// <summary>
/// The values of /metrics as a <see cref="System.Diagnostics.Metrics"/> meter named <c>Procman</c>, for
/// dotnet-counters and OpenTelemetry. Instruments are observed only while a listener listens; one observation
/// pass reads one snapshot, taken at most once a second.
/// </summary>
internal sealed class ProcmanMeter : IDisposable
{
    public const string Name = "Procman";

    private static readonly TimeSpan SnapshotAge = TimeSpan.FromSeconds(1);

    private readonly Meter _meter = new(Name);
    private readonly MasterControl _control;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private (MasterSnapshot? Status, long TakenAt) _last;

    public ProcmanMeter(MasterControl control, TimeProvider time)
    {
        _control = control;
        _time = time;
        Gauge("procman.workers", "{worker}", "Worker processes by state.",
            status => WorkerSnapshot.States.Select(state => new Measurement<long>(status.CountIn(state), new KeyValuePair<string, object?>("state", state))));
        Gauge("procman.workers.target", "{worker}", "Worker slots that should have a worker.", status => [new Measurement<long>(status.TargetWorkers)]);
        Counter("procman.worker.restarts", "{restart}", "Workers replaced since the start, by reason.",
            status => status.Restarts.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("reason", pair.Key))));
        Counter("procman.reloads", "{reload}", "Reloads since the start, by result.", status =>
        [
            new Measurement<long>(status.Reloads.Completed, new KeyValuePair<string, object?>("result", "completed")),
            new Measurement<long>(status.Reloads.Failed, new KeyValuePair<string, object?>("result", "failed")),
            new Measurement<long>(status.Reloads.Refused, new KeyValuePair<string, object?>("result", "refused")),
        ]);
        _meter.CreateObservableGauge("procman.reload.last_duration", () => Observe<double>(status => status.Reloads.LastDurationSeconds is { } seconds ? [new Measurement<double>(seconds)] : []),
            "s", "Duration of the last completed reload.");
        PerWorker("procman.worker.requests", "{request}", "Requests a worker has served.", w => w.Requests, counter: true);
        PerWorker("procman.worker.requests_in_flight", "{request}", "Requests a worker is serving now.", w => w.InFlight);
        PerWorker("procman.worker.keepalive_connections", "{connection}", "Open keep-alive connections of a worker.", w => w.KeepAliveConnections);
        PerWorker("procman.worker.memory.rss", "By", "A worker's resident set size.", w => w.RssBytes);
        PerWorker("procman.worker.memory.pss", "By", "A worker's proportional set size.", w => w.PssBytes);
        PerWorker("procman.worker.gc_heap", "By", "A worker's managed heap size.", w => w.GcHeapBytes);
        PerWorker("procman.worker.threadpool.threads", "{thread}", "A worker's thread-pool threads.", w => w.ThreadPoolThreads);
        PerWorker("procman.worker.threadpool.queue_length", "{work_item}", "Work items waiting in a worker's thread pool.", w => w.ThreadPoolQueue);
        _meter.CreateObservableGauge("procman.worker.probe_delay", () => Observe(status => status.Workers
            .Where(w => w.ProbeDelaySeconds is not null)
            .Select(w => new Measurement<double>(w.ProbeDelaySeconds!.Value, Labels(w)))), "s", "How late a worker's thread pool ran the last heartbeat probe.");
    }

    public void Dispose() => _meter.Dispose();

    private void Gauge(string name, string unit, string description, Func<MasterSnapshot, IEnumerable<Measurement<long>>> measure)
        => _meter.CreateObservableGauge(name, () => Observe(measure), unit, description);

    private void Counter(string name, string unit, string description, Func<MasterSnapshot, IEnumerable<Measurement<long>>> measure)
        => _meter.CreateObservableCounter(name, () => Observe(measure), unit, description);

    private void PerWorker(string name, string unit, string description, Func<WorkerSnapshot, long?> value, bool counter = false)
    {
        IEnumerable<Measurement<long>> Measure() => Observe(status => status.Workers
            .Where(w => value(w) is not null)
            .Select(w => new Measurement<long>(value(w)!.Value, Labels(w))));
        if (counter)
        {
            _meter.CreateObservableCounter(name, Measure, unit, description);
        }
        else
        {
            _meter.CreateObservableGauge(name, Measure, unit, description);
        }
    }

    private static KeyValuePair<string, object?>[] Labels(WorkerSnapshot worker) =>
    [
        new("slot", worker.Slot),
        new("pid", worker.Pid),
    ];

    private IEnumerable<Measurement<T>> Observe<T>(Func<MasterSnapshot, IEnumerable<Measurement<T>>> measure)
        where T : struct
        => Latest() is { } status ? measure(status).ToArray() : [];

    /// <summary>
    /// The snapshot of the last second, or a new one. Observation callbacks are synchronous: the wait for the
    /// loop is bounded by <see cref="MasterControl.AnswerBound"/>, and a stuck loop yields no measurements.
    /// </summary>
    private MasterSnapshot? Latest()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_last.Status is null || _time.GetElapsedTime(_last.TakenAt, now) > SnapshotAge)
            {
                _last = (_control.StatusAsync(CancellationToken.None).GetAwaiter().GetResult(), now);
            }
            return _last.Status;
        }
    }
}
