namespace Procman.Configuration.Python.Syntax;

/// <summary>target[index]; index may be a SliceIndex.</summary>
internal sealed record Subscript(Expression Target, Expression Index, Span Span) : Expression(Span);
