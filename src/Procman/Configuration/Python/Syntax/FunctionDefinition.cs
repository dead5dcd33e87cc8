namespace Procman.Configuration.Python.Syntax;

/// <summary>def name(parameters): body. Opaque is set when the body uses syntax outside the subset: it is skipped, and only calling it is an error.</summary>
internal sealed record FunctionDefinition(string Name, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Statement> Body, string? Opaque, Span Span) : Statement(Span);
