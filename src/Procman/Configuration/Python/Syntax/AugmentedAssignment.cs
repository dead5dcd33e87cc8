namespace Procman.Configuration.Python.Syntax;

/// <summary>target op= value.</summary>
internal sealed record AugmentedAssignment(Expression Target, string Operator, Expression Value, Span Span) : Statement(Span);
