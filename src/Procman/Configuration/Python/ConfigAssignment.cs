namespace Procman.Configuration.Python;

/// <summary>
/// The final value of a module-level name, positioned at its last assignment. <see cref="Inert"/> names what
/// the value depends on that procman does not evaluate (a module such as logging), if anything.
/// </summary>
internal sealed record ConfigAssignment(string Name, object? Value, int Line, int Column, string? Inert = null);
