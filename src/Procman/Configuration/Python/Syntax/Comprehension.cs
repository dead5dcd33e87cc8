namespace Procman.Configuration.Python.Syntax;

/// <summary>A list, set or dict comprehension, or a generator expression (evaluated eagerly to a list).</summary>
internal sealed record Comprehension(ComprehensionKind Kind, Expression Element, Expression? Value, IReadOnlyList<ComprehensionClause> Clauses, Span Span) : Expression(Span);
