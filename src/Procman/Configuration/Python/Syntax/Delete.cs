namespace Procman.Configuration.Python.Syntax;

/// <summary>del targets.</summary>
internal sealed record Delete(IReadOnlyList<Expression> Targets, Span Span) : Statement(Span);
