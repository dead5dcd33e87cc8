namespace Procman.Configuration.Python.Syntax;

/// <summary>key: value in a dict display.</summary>
internal sealed record DictEntry(Expression Key, Expression Value);
