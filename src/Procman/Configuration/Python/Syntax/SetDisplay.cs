namespace Procman.Configuration.Python.Syntax;

/// <summary>{a, b}.</summary>
internal sealed record SetDisplay(IReadOnlyList<Expression> Items, Span Span) : Expression(Span);
