namespace Procman.Worker.Hosting;

/// <summary>
/// Counts the connections this worker holds open, so that a drain knows when the last one has closed.
/// </summary>
internal sealed class ConnectionTracker
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private int _draining;

    public int Open => Volatile.Read(ref _open);

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    public void Opened() => Interlocked.Increment(ref _open);

    public void Closed()
    {
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
}
