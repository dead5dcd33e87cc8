namespace Procman.Configuration.Python;

/// <summary>A callable the evaluator implements itself; methods carry the object they are bound to.</summary>
internal sealed record PythonFunction(string Name, object? Receiver = null);
