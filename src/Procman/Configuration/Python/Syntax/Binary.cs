namespace Procman.Configuration.Python.Syntax;

/// <summary>An arithmetic or bitwise operator.</summary>
internal sealed record Binary(string Operator, Expression Left, Expression Right, Span Span) : Expression(Span);
