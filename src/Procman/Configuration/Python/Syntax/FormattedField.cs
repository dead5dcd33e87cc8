namespace Procman.Configuration.Python.Syntax;

/// <summary>A piece of an f-string: literal text, or an expression with its !r/!s/!a conversion.</summary>
internal sealed record FormattedField(string? Literal, Expression? Value, char Conversion);
