namespace Procman.Arbitration;

/// <summary>What was learned about a hung worker.</summary>
/// <param name="Stacks">Its managed stacks grouped by identical stack, most common first; null when they could not be read.</param>
/// <param name="Error">Why the stacks (or the dump) could not be had, or null.</param>
/// <param name="DumpPath">The dump kept in dump_dir, or null.</param>
internal sealed record WorkerDiagnosis(string? Stacks, string? Error, string? DumpPath);
