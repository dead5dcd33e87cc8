namespace Procman.Control;

/// <summary>
/// The stack summary until the worker diagnosis lands: none, so <c>procman dump</c> offers the dump file
/// (<c>--dump-dir</c>) instead.
/// </summary>
internal sealed class UnavailableWorkerStacks : IWorkerStacks
{
    public Task<string?> SummarizeAsync(int pid, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
