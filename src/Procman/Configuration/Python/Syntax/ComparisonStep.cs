namespace Procman.Configuration.Python.Syntax;

/// <summary>One operator and right operand of a comparison chain.</summary>
internal sealed record ComparisonStep(string Operator, Expression Right);
