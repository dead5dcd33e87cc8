namespace Procman.Configuration.Python.Syntax;

/// <summary>import a.b [as c], ...</summary>
internal sealed record Import(IReadOnlyList<ImportedName> Modules, Span Span) : Statement(Span);
