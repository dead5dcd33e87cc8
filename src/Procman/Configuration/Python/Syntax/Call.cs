namespace Procman.Configuration.Python.Syntax;

/// <summary>A call with positional and keyword arguments.</summary>
internal sealed record Call(Expression Function, IReadOnlyList<Expression> Arguments, IReadOnlyList<KeywordArgument> Keywords, Span Span) : Expression(Span);
