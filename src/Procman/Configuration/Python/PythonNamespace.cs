namespace Procman.Configuration.Python;

/// <summary>A module (<c>os</c>, <c>os.path</c>, <c>multiprocessing</c>) or <c>os.environ</c>, named by its dotted path.</summary>
internal sealed record PythonNamespace(string Name);
