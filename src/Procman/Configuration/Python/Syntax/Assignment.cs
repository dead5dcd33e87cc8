namespace Procman.Configuration.Python.Syntax;

/// <summary>targets = ... = value; each target may be a name, a tuple/list of targets or a subscript.</summary>
internal sealed record Assignment(IReadOnlyList<Expression> Targets, Expression Value, Span Span) : Statement(Span);
