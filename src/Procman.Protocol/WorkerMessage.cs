namespace Procman.Protocol;

/// <summary>What a worker tells the master.</summary>
public abstract record WorkerMessage : ChannelMessage
{
    /// <summary>The startup hook has attached to the app's host (sent once).</summary>
    public sealed record Attached : WorkerMessage;

    /// <summary>Kestrel is listening on the shared sockets (sent once).</summary>
    public sealed record Ready : WorkerMessage;

    /// <summary>
    /// Sent every heartbeat interval from a thread of the worker's own, not the thread pool, so that the report
    /// keeps arriving while the pool is starved and says so: how long ordinary work waits for the pool, and the
    /// numbers an operator needs to tell a busy worker from a hung one.
    /// </summary>
    public sealed record Heartbeat : WorkerMessage
    {
        /// <summary>Requests this worker has started, in all.</summary>
        public long Requests { get; init; }

        /// <summary>Open connections that have carried more than one request, for balance.</summary>
        public int KeepAliveConnections { get; init; }

        /// <summary>How long the last probe that ran waited in the thread pool's global queue.</summary>
        public TimeSpan ProbeDelay { get; init; }

        /// <summary>How long the probe queued last has been waiting without running; zero when none waits.</summary>
        public TimeSpan ProbeWaiting { get; init; }

        public int PoolThreads { get; init; }

        /// <summary>Work items queued in the thread pool and not yet started.</summary>
        public long QueuedItems { get; init; }

        /// <summary>Work items the thread pool completed since the previous heartbeat.</summary>
        public long CompletedItems { get; init; }

        public int RequestsInFlight { get; init; }

        /// <summary>How long the oldest request still in flight has been running.</summary>
        public TimeSpan OldestRequest { get; init; }

        public long GcHeapBytes { get; init; }

        /// <summary>Time the runtime spent paused for garbage collection since the previous heartbeat.</summary>
        public TimeSpan GcPause { get; init; }
    }

    /// <summary>
    /// The worker has started its max_requests-th request and should be recycled. Sent at once, so that the
    /// recycle does not wait for the next heartbeat.
    /// </summary>
    public sealed record MaxRequestsReached(long Served, long Limit) : WorkerMessage;

    /// <summary>The worker stopped accepting and is closing its connections.</summary>
    public sealed record Draining : WorkerMessage;
}
