namespace Procman.Configuration.Python.Syntax;

/// <summary>name=value in a call.</summary>
internal sealed record KeywordArgument(string Name, Expression Value, Span Span);
