namespace Procman.Configuration.Python.Syntax;

/// <summary>lower:upper:step inside a subscript.</summary>
internal sealed record SliceIndex(Expression? Lower, Expression? Upper, Expression? Step, Span Span) : Expression(Span);
