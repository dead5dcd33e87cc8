namespace Procman.Configuration.Python.Syntax;

/// <summary>raise [exception].</summary>
internal sealed record Raise(Expression? Exception, Span Span) : Statement(Span);
