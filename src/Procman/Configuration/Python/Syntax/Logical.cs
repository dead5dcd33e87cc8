namespace Procman.Configuration.Python.Syntax;

/// <summary>and/or, which evaluate their right side only when it decides the result.</summary>
internal sealed record Logical(string Operator, Expression Left, Expression Right, Span Span) : Expression(Span);
