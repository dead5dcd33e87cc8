namespace Procman.Configuration.Python.Syntax;

/// <summary>A comparison chain, as in a &lt; b &lt;= c.</summary>
internal sealed record Comparison(Expression First, IReadOnlyList<ComparisonStep> Steps, Span Span) : Expression(Span);
