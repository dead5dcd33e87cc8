namespace Procman.Configuration.Python.Syntax;

/// <summary>lambda parameters: body.</summary>
internal sealed record Lambda(IReadOnlyList<Parameter> Parameters, Expression Body, Span Span) : Expression(Span);
