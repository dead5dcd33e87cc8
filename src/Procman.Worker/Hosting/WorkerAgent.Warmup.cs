namespace Procman.Worker.Hosting;

internal sealed partial class WorkerAgent
{
    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once this worker may accept connections: at once without a warm-up, else when the warm-up is over.
    /// Until then Kestrel listens but does not accept, and the connections queued on a shared socket go to the
    /// workers that are ready.
    /// </summary>
    public Task Accepting => _settings.WarmupPaths.Count == 0 ? Task.CompletedTask : _warmed.Task;

    /// <summary>Ends the wait of <see cref="Accepting"/>; called once the warm-up is over, and again, harmlessly, before ready.</summary>
    public void AcceptConnections() => _warmed.TrySetResult();
}
