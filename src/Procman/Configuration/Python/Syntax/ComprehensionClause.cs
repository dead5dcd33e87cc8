namespace Procman.Configuration.Python.Syntax;

/// <summary>for target in iterable if condition...</summary>
internal sealed record ComprehensionClause(Expression Target, Expression Iterable, IReadOnlyList<Expression> Conditions);
