using System.Collections.Concurrent;
using Procman.Protocol;

namespace Procman.Arbitration;

/// <summary>
/// Where worker channels leave heartbeats for the arbiter loop without waking it: the loop takes them, in the
/// order they came, at the start of its next pass (the tick comes at least once a second; a status query or
/// any other event comes sooner).
/// </summary>
/// <remarks>
/// A heartbeat changes nothing the loop must act on at once: what it carries is read by the tick (timeouts,
/// recycles, balance) and by status queries, which are events of their own. Posting each one as an event cost an
/// idle master a thread-pool hand-off and a loop pass per worker per second, most of its CPU at rest. Each
/// heartbeat keeps the time it arrived, so a timeout is measured from its arrival, not from when the loop took it.
/// </remarks>
internal sealed class HeartbeatInbox(TimeProvider time)
{
    private readonly ConcurrentQueue<(long Key, WorkerMessage.Heartbeat Heartbeat, DateTimeOffset At)> _beats = new();

    /// <summary>Called by a worker's channel reader, on its own thread.</summary>
    public void Post(long key, WorkerMessage.Heartbeat heartbeat) => _beats.Enqueue((key, heartbeat, time.GetUtcNow()));

    /// <summary>Called by the arbiter loop: the next heartbeat waiting, oldest first.</summary>
    public bool TryTake(out (long Key, WorkerMessage.Heartbeat Heartbeat, DateTimeOffset At) beat) => _beats.TryDequeue(out beat);
}
