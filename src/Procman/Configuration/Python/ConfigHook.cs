namespace Procman.Configuration.Python;

/// <summary>A module-level <c>def</c>: recorded so the master knows which hooks exist, never executed.</summary>
internal sealed record ConfigHook(string Name, int Line, int Column);
