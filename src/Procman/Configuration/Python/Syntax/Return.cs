namespace Procman.Configuration.Python.Syntax;

/// <summary>return [value].</summary>
internal sealed record Return(Expression? Value, Span Span) : Statement(Span);
