namespace Procman.Configuration.Python.Syntax;

/// <summary>global names, inside a function.</summary>
internal sealed record Global(IReadOnlyList<string> Names, Span Span) : Statement(Span);
