namespace Procman.Configuration.Python.Syntax;

/// <summary>target.name.</summary>
internal sealed record AttributeAccess(Expression Target, string Attribute, Span NameSpan, Span Span) : Expression(Span);
