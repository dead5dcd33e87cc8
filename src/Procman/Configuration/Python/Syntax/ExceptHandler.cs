namespace Procman.Configuration.Python.Syntax;

/// <summary>except [type [as name]]: body.</summary>
internal sealed record ExceptHandler(Expression? Type, string? Name, IReadOnlyList<Statement> Body, Span Span);
