namespace Procman.Configuration.Python.Syntax;

/// <summary>while test: body else: orElse.</summary>
internal sealed record While(Expression Test, IReadOnlyList<Statement> Body, IReadOnlyList<Statement> OrElse, Span Span) : Statement(Span);
