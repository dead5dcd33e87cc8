using Procman.Protocol;

namespace Procman.Worker.Health;

/// <summary>
/// Measures whether this worker gets ordinary work done, and reports it to the master from a thread of its own.
/// </summary>
/// <remarks>
/// A thread pool can be alive and useless: when work items that block hold its threads, the pool keeps
/// injecting new ones (about two a second), and each runs high-priority items first, so a timer callback
/// still runs while requests, which wait in the normal global queue, are never served. So the liveness
/// measure is a probe queued where requests are queued (<see cref="ThreadPool.UnsafeQueueUserWorkItem(IThreadPoolWorkItem, bool)"/>
/// with preferLocal false, from a thread outside the pool) and how long it waits before it runs. The report is
/// sent from this dedicated thread, so it keeps arriving while the pool is starved and says how long the
/// probe has waited; only a stopped or wedged process goes silent.
/// </remarks>
internal sealed class HealthMonitor : IThreadPoolWorkItem
{
    private const long NoProbe = 0;

    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly RequestTracker _requests;
    private readonly Func<int> _keepAlive;
    private readonly Action<WorkerMessage.Heartbeat> _send;
    private readonly Action<IThreadPoolWorkItem> _queue;
    private readonly ManualResetEventSlim _stopped = new();
    private long _probeQueuedAt = NoProbe;
    private long _lastDelayTicks;
    private long _lastCompleted;
    private TimeSpan _lastPause;

    /// <param name="queue">Queues the probe; the thread pool's global queue unless a test says otherwise.</param>
    public HealthMonitor(TimeProvider time, TimeSpan interval, RequestTracker requests, Func<int> keepAlive, Action<WorkerMessage.Heartbeat> send, Action<IThreadPoolWorkItem>? queue = null)
    {
        _time = time;
        _interval = interval;
        _requests = requests;
        _keepAlive = keepAlive;
        _send = send;
        _queue = queue ?? (static item => ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false));
        _lastCompleted = ThreadPool.CompletedWorkItemCount;
        _lastPause = GC.GetTotalPauseDuration();
    }

    public void Start() => new Thread(Run) { IsBackground = true, Name = "procman health" }.Start();

    public void Stop() => _stopped.Set();

    /// <summary>Takes one reading and queues the next probe if the last one has run.</summary>
    public WorkerMessage.Heartbeat Sample()
    {
        var now = _time.GetTimestamp();
        var queuedAt = Interlocked.Read(ref _probeQueuedAt);
        var completed = ThreadPool.CompletedWorkItemCount;
        var pause = GC.GetTotalPauseDuration();
        var heartbeat = new WorkerMessage.Heartbeat
        {
            Requests = _requests.Requests,
            KeepAliveConnections = _keepAlive(),
            ProbeDelay = TimeSpan.FromTicks(Interlocked.Read(ref _lastDelayTicks)),
            ProbeWaiting = queuedAt == NoProbe ? TimeSpan.Zero : _time.GetElapsedTime(queuedAt, now),
            PoolThreads = ThreadPool.ThreadCount,
            QueuedItems = ThreadPool.PendingWorkItemCount,
            CompletedItems = completed - _lastCompleted,
            RequestsInFlight = _requests.InFlight,
            OldestRequest = _requests.OldestAge(),
            GcHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            GcPause = pause - _lastPause,
        };
        _lastCompleted = completed;
        _lastPause = pause;
        if (queuedAt == NoProbe)
        {
            Interlocked.Exchange(ref _probeQueuedAt, now);
            _queue(this);
        }
        return heartbeat;
    }

    /// <summary>The probe: runs on a pool thread once the global queue reaches it.</summary>
    public void Execute()
    {
        var queuedAt = Interlocked.Read(ref _probeQueuedAt);
        Interlocked.Exchange(ref _lastDelayTicks, _time.GetElapsedTime(queuedAt).Ticks);
        Interlocked.Exchange(ref _probeQueuedAt, NoProbe);
    }

    private void Run()
    {
        do
        {
            _send(Sample());
        }
        while (!_stopped.Wait(_interval));
    }
}
