namespace Procman.Control;

/// <summary>The answer to <c>procman dump SLOT</c>: a summary of the worker's stacks, and the dump file when one was asked for.</summary>
internal sealed record WorkerDump(int Slot, int Pid, string? Stacks, string? Path);
