namespace Procman.Configuration.Python;

/// <summary>A module-level function (def, lambda or assigned) that the file never calls: a hook, recorded and never run.</summary>
internal sealed record ConfigHook(string Name, int Line, int Column);
