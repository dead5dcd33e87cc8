namespace Procman.Configuration.Python.Syntax;

/// <summary>[a, b].</summary>
internal sealed record ListDisplay(IReadOnlyList<Expression> Items, Span Span) : Expression(Span);
