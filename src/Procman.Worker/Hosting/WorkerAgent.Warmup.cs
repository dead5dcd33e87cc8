namespace Procman.Worker.Hosting;

internal sealed partial class WorkerAgent
{
    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WarmupEntrance? _warmupEntrance;

    /// <summary>The entrance of the warm-up's connections, once the first listener has claimed it; null without a warm-up.</summary>
    public WarmupEntrance? WarmupEntrance => _warmupEntrance;

    /// <summary>
    /// Completes once this worker may accept connections: at once without a warm-up, else when the warm-up is over.
    /// Until then Kestrel listens but does not accept, and the connections queued on a shared socket go to the
    /// workers that are ready.
    /// </summary>
    public Task Accepting => _settings.WarmsUp ? _warmed.Task : Task.CompletedTask;

    /// <summary>
    /// Whether a request may still be a warm-up's: until the warm-up is over. After it, procman's middleware reads one
    /// flag per request rather than looking the warm-up's mark up among the request's features.
    /// </summary>
    public bool WarmingUp => _settings.WarmsUp && !_warmed.Task.IsCompleted;

    /// <summary>Ends the wait of <see cref="Accepting"/>; called once the warm-up is over, and again, harmlessly, before ready.</summary>
    public void AcceptConnections()
    {
        _warmed.TrySetResult();
        _warmupEntrance?.Close();
    }

    /// <summary>
    /// The warm-up's entrance for the first of procman's listeners to be bound, so that the warm-up runs that endpoint's
    /// pipeline; null for every later one, and without a warm-up.
    /// </summary>
    public WarmupEntrance? ClaimWarmupEntrance()
    {
        if (!_settings.WarmsUp || _warmed.Task.IsCompleted)
        {
            return null;
        }
        lock (_stateLock)
        {
            return _warmupEntrance is null ? _warmupEntrance = new WarmupEntrance() : null;
        }
    }
}
