using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

/// <summary>A function the file defines with def or lambda, closed over the scope it was defined in.</summary>
internal sealed class ConfigFunction(string name, IReadOnlyList<Parameter> parameters, IReadOnlyList<Statement>? body, Expression? result, Scope closure, string? opaque, Span span)
{
    public string Name { get; } = name;

    public IReadOnlyList<Parameter> Parameters { get; } = parameters;

    /// <summary>The statements of a def; null for a lambda.</summary>
    public IReadOnlyList<Statement>? Body { get; } = body;

    /// <summary>The expression of a lambda; null for a def.</summary>
    public Expression? Result { get; } = result;

    public Scope Closure { get; } = closure;

    /// <summary>Why the body could not be parsed, for a function whose body is outside the subset.</summary>
    public string? Opaque { get; } = opaque;

    public Span Span { get; } = span;

    /// <summary>A function the file never calls is a hook (or dead code): reported, never run.</summary>
    public bool Called { get; set; }
}
