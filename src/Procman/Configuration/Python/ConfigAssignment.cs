namespace Procman.Configuration.Python;

/// <summary>The final value of a module-level name, positioned at its last assignment.</summary>
internal sealed record ConfigAssignment(string Name, object? Value, int Line, int Column);
