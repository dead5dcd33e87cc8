namespace Procman.Configuration.Python.Syntax;

/// <summary>try/except/else/finally.</summary>
internal sealed record Try(IReadOnlyList<Statement> Body, IReadOnlyList<ExceptHandler> Handlers, IReadOnlyList<Statement> OrElse, IReadOnlyList<Statement> Finally, Span Span) : Statement(Span);
