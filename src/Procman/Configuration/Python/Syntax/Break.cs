namespace Procman.Configuration.Python.Syntax;

/// <summary>break.</summary>
internal sealed record Break(Span Span) : Statement(Span);
