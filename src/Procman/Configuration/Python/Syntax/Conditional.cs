namespace Procman.Configuration.Python.Syntax;

/// <summary>body if test else orElse.</summary>
internal sealed record Conditional(Expression Test, Expression Body, Expression OrElse, Span Span) : Expression(Span);
