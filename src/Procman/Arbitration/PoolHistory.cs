using Procman.Protocol;

namespace Procman.Arbitration;

/// <summary>
/// The last heartbeats' queue lengths and completions of one worker's thread pool, to see work that stays
/// queued while the pool completes next to nothing.
/// </summary>
/// <remarks>
/// The probe measures the global queue. Work a pool thread queues for itself (continuations, a request's
/// next step) goes to that thread's local queue; when the thread blocks, such items wait until another thread
/// steals them, and newly injected threads serve the global queue first, so the probe runs in a second while
/// those requests wait for ever (a lock-ordering deadlock under load does this). If work was queued at every
/// beat of a span and fewer items completed in all of it than stayed queued throughout, some item waited
/// that whole span: a busy pool completes thousands of items a second.
/// </remarks>
internal sealed class PoolHistory
{
    private readonly Queue<(DateTimeOffset At, long Queued, long Completed)> _beats = new();

    /// <summary>Forgets what came before: a booting app's pool is no measure of a serving one.</summary>
    public void Clear() => _beats.Clear();

    public void Record(DateTimeOffset at, WorkerMessage.Heartbeat heartbeat, TimeSpan keep)
    {
        _beats.Enqueue((at, heartbeat.QueuedItems, heartbeat.CompletedItems));
        while (_beats.Count > 0 && at - _beats.Peek().At > keep)
        {
            _beats.Dequeue();
        }
    }

    /// <summary>The longest recent span over which work stayed queued undone, with the fewest items queued and the items completed in it.</summary>
    public (TimeSpan Span, long Queued, long Completed) Stalled()
    {
        var beats = _beats.ToArray();
        if (beats.Length == 0 || beats[^1].Queued == 0)
        {
            return (TimeSpan.Zero, 0, 0);
        }
        var newest = beats[^1];
        var fewest = newest.Queued;
        var completed = 0L;
        var result = (Span: TimeSpan.Zero, Queued: fewest, Completed: completed);
        for (var i = beats.Length - 1; i > 0; i--)
        {
            // Beat i's count of completions covers the interval since beat i-1.
            completed += beats[i].Completed;
            fewest = Math.Min(fewest, beats[i - 1].Queued);
            if (fewest == 0 || completed >= fewest)
            {
                break;
            }
            result = (newest.At - beats[i - 1].At, fewest, completed);
        }
        return result;
    }
}
