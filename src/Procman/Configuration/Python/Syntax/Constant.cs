namespace Procman.Configuration.Python.Syntax;

/// <summary>A literal: number, string, True, False or None.</summary>
internal sealed record Constant(object? Value, Span Span) : Expression(Span);
