namespace Procman.Configuration.Python;

/// <summary>
/// Something procman does not evaluate: a module other than os/os.path/multiprocessing, or a part of os
/// that would touch files or processes. Harmless in a hook that never runs; a warning when used at the top
/// level; an error when a setting's value depends on it.
/// </summary>
internal sealed record InertValue(string Description, string Reason);
