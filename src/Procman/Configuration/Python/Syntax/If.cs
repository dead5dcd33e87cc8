namespace Procman.Configuration.Python.Syntax;

/// <summary>if/elif/else (elif is a nested If in OrElse).</summary>
internal sealed record If(Expression Test, IReadOnlyList<Statement> Body, IReadOnlyList<Statement> OrElse, Span Span) : Statement(Span);
