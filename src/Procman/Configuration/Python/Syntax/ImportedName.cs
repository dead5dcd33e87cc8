namespace Procman.Configuration.Python.Syntax;

/// <summary>One name of an import, with its alias.</summary>
internal sealed record ImportedName(string Name, string? Alias, Span Span);
