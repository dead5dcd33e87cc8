namespace Procman.Configuration.Python.Syntax;

/// <summary>A unary operator: -, + or not.</summary>
internal sealed record Unary(string Operator, Expression Operand, Span Span) : Expression(Span);
