namespace Procman.Configuration.Python.Syntax;

/// <summary>A function parameter, with its default if it has one.</summary>
internal sealed record Parameter(string Name, Expression? Default);
