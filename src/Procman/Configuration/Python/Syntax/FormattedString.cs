namespace Procman.Configuration.Python.Syntax;

/// <summary>An f-string (or an implicit concatenation that contains one): literal text and replacement fields.</summary>
internal sealed record FormattedString(IReadOnlyList<FormattedField> Fields, Span Span) : Expression(Span);
