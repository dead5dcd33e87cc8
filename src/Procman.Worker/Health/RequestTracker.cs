namespace Procman.Worker.Health;

/// <summary>
/// Counts this worker's requests, knows which are in flight and since when, and says once when the count
/// reaches max_requests.
/// </summary>
internal sealed class RequestTracker
{
    // Start times of the requests in flight, one slot each, 0 for a free slot. A fixed array costs every
    // request two interlocked operations and no allocation, and the slots are the count in flight: only the
    // count of requests is shared by every thread. A request that finds no free slot near its thread's is
    // counted in flight apart, only not aged: the oldest request is what an operator needs, and a worker with
    // this many requests in flight has an old one in a slot already.
    private const int Slots = 1024;
    private const int Probes = 64;

    private readonly long[] _started = new long[Slots];
    private readonly TimeProvider _time;
    private readonly long _limit;
    private readonly Action<long, long> _limitReached;
    private long _requests;
    private int _unslotted;

    /// <param name="limit">max_requests for this worker, 0 for none.</param>
    /// <param name="limitReached">Called once, with the count and the limit, by the request that reaches it.</param>
    public RequestTracker(TimeProvider time, long limit, Action<long, long> limitReached)
    {
        _time = time;
        _limit = limit;
        _limitReached = limitReached;
    }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>A worker's max_requests: <paramref name="max"/> plus a draw of 0..<paramref name="jitter"/>, or 0 for none.</summary>
    public static long DrawLimit(long max, int jitter, Random random) => max > 0 ? max + random.Next(0, jitter + 1) : 0;

    /// <summary>Requests in flight: read by the heartbeat, once a second, so it counts the slots rather than every request.</summary>
    public int InFlight
    {
        get
        {
            var count = Volatile.Read(ref _unslotted);
            for (var i = 0; i < Slots; i++)
            {
                if (Volatile.Read(ref _started[i]) != 0)
                {
                    count++;
                }
            }
            return count;
        }
    }

    /// <summary>Records that a request started; pass the result to <see cref="End"/>.</summary>
    public int Start()
    {
        var count = Interlocked.Increment(ref _requests);
        if (count == _limit)
        {
            _limitReached(count, _limit);
        }
        var now = _time.GetTimestamp();
        var first = Environment.CurrentManagedThreadId * Probes;
        for (var i = 0; i < Probes; i++)
        {
            var slot = (first + i) & (Slots - 1);
            if (Interlocked.CompareExchange(ref _started[slot], now, 0) == 0)
            {
                return slot;
            }
        }
        Interlocked.Increment(ref _unslotted);
        return -1;
    }

    public void End(int slot)
    {
        if (slot >= 0)
        {
            Volatile.Write(ref _started[slot], 0);
        }
        else
        {
            Interlocked.Decrement(ref _unslotted);
        }
    }

    /// <summary>How long the oldest request in flight has been running; zero when none is.</summary>
    public TimeSpan OldestAge()
    {
        var oldest = long.MaxValue;
        for (var i = 0; i < Slots; i++)
        {
            var started = Volatile.Read(ref _started[i]);
            if (started != 0 && started < oldest)
            {
                oldest = started;
            }
        }
        return oldest == long.MaxValue ? TimeSpan.Zero : _time.GetElapsedTime(oldest);
    }
}
