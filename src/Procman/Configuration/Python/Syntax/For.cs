namespace Procman.Configuration.Python.Syntax;

/// <summary>for target in iterable: body else: orElse.</summary>
internal sealed record For(Expression Target, Expression Iterable, IReadOnlyList<Statement> Body, IReadOnlyList<Statement> OrElse, Span Span) : Statement(Span);
