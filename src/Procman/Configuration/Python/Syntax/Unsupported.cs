namespace Procman.Configuration.Python.Syntax;

/// <summary>Valid Python outside the subset (bytes, complex numbers, ...): an error only if evaluated.</summary>
internal sealed record Unsupported(string Problem, string Supported, Span Span) : Expression(Span);
