using System.Collections.Concurrent;

namespace Procman.Worker.Hosting;

/// <summary>
/// Tracks the connections this worker holds open, so that a drain knows when the last one has closed and
/// which ones sit idle.
/// </summary>
internal sealed class ConnectionTracker
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<ConnectionState, byte> _connections = new();
    private int _open;
    private int _keepAlive;
    private int _draining;
    private int _shedBudget;
    private int _resumeAcceptAt = int.MaxValue;

    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// Open connections that have carried more than one request. Balancing counts only these: a
    /// connection-per-request client leaves by itself, and pausing accepts for it would only slow it down.
    /// </summary>
    public int KeepAlive => Volatile.Read(ref _keepAlive);

    public void KeepAliveStarted() => Interlocked.Increment(ref _keepAlive);

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    public void Opened(ConnectionState connection)
    {
        _connections.TryAdd(connection, 0);
        Interlocked.Increment(ref _open);
    }

    public void Closed(ConnectionState connection)
    {
        _connections.TryRemove(connection, out _);
        if (connection.IsKeepAlive)
        {
            Interlocked.Decrement(ref _keepAlive);
        }
        // Interlocked operations are full fences, so either this decrement sees the draining flag or
        // StartDraining sees the zero count: the idle task cannot be missed.
        if (Interlocked.Decrement(ref _open) == 0 && IsDraining)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Marks the worker as draining and returns a task that completes when no connection is open.</summary>
    public Task StartDraining()
    {
        Interlocked.Exchange(ref _draining, 1);
        if (Open == 0)
        {
            _idle.TrySetResult();
        }
        return _idle.Task;
    }

    /// <summary>
    /// Applies the fair share the master computed (0: no limit). A worker over it by more than a tenth stops accepting and
    /// closes connections after their next response until it is back at the share: shedding and resuming meet
    /// at the same count, so the pause ends as soon as the shedding is done.
    /// </summary>
    public void SetShare(int share)
    {
        var open = KeepAlive;
        var over = share > 0 && open > share + Math.Max(1, share / 10);
        Volatile.Write(ref _shedBudget, over ? open - share : 0);
        Volatile.Write(ref _resumeAcceptAt, over ? share : int.MaxValue);
    }

    /// <summary>Whether this worker holds more connections than its share and should leave new ones to the others.</summary>
    public bool AcceptPaused => KeepAlive > Volatile.Read(ref _resumeAcceptAt);

    /// <summary>Takes one connection from the shed budget: that response carries Connection: close.</summary>
    public bool TryShed()
    {
        while (true)
        {
            var budget = Volatile.Read(ref _shedBudget);
            if (budget <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _shedBudget, budget - 1, budget) == budget)
            {
                return true;
            }
        }
    }

    /// <summary>Whether connections are still open and every one of them is busy with a long-lived request.</summary>
    public bool OnlyLongLivedLeft => !_connections.IsEmpty && _connections.Keys.All(connection => connection.IsLongLived);

    /// <summary>Closes every connection still open, at once.</summary>
    public void AbortAll()
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }
    }

    /// <summary>Asks every connection idle for at least <paramref name="grace"/> to close.</summary>
    public void CloseIdle(TimeSpan grace)
    {
        foreach (var connection in _connections.Keys)
        {
            if (connection.IsIdleFor(grace))
            {
                connection.RequestClose();
            }
        }
    }
}
