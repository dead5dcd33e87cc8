namespace Procman.Configuration.Python.Syntax;

/// <summary>assert test[, message].</summary>
internal sealed record Assert(Expression Test, Expression? Message, Span Span) : Statement(Span);
