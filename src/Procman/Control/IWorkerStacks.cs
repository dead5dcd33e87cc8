namespace Procman.Control;

/// <summary>Summarizes what a worker's threads are doing, for <c>procman dump SLOT</c>; faked in unit tests.</summary>
internal interface IWorkerStacks
{
    /// <summary>One text block of the worker's stacks, or null when this build cannot take them.</summary>
    Task<string?> SummarizeAsync(int pid, CancellationToken cancellationToken);
}
