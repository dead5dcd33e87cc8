namespace Procman.Configuration.Python.Syntax;

/// <summary>A name read from the current scope.</summary>
internal sealed record Name(string Identifier, Span Span) : Expression(Span);
