namespace Procman.Configuration.Python.Syntax;

/// <summary>pass.</summary>
internal sealed record Pass(Span Span) : Statement(Span);
