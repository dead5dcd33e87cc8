namespace Procman.Configuration.Python.Syntax;

/// <summary>(a, b) or a, b.</summary>
internal sealed record TupleDisplay(IReadOnlyList<Expression> Items, Span Span) : Expression(Span);
