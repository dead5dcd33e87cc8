namespace Procman.Arbitration;

/// <summary>
/// What a worker reports about its own runtime with its heartbeat, beyond the request and connection counts;
/// null until the worker tells it.
/// </summary>
internal sealed record WorkerVitals(int? InFlight, long? GcHeapBytes, int? ThreadPoolThreads, long? ThreadPoolQueue, TimeSpan? ProbeDelay)
{
    public static readonly WorkerVitals Unknown = new(null, null, null, null, null);
}
