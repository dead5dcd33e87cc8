namespace Procman.Configuration.Python.Syntax;

/// <summary>continue.</summary>
internal sealed record Continue(Span Span) : Statement(Span);
