namespace Procman.Configuration.Python.Syntax;

/// <summary>An expression whose value is dropped (a call, a docstring).</summary>
internal sealed record ExpressionStatement(Expression Value, Span Span) : Statement(Span);
