namespace Procman.Configuration.Python.Syntax;

/// <summary>from module import names.</summary>
internal sealed record ImportFrom(string Module, IReadOnlyList<ImportedName> Names, Span Span) : Statement(Span);
