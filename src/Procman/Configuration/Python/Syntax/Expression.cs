namespace Procman.Configuration.Python.Syntax;

/// <summary>An expression node; each kind has one evaluation rule in the interpreter.</summary>
internal abstract record Expression(Span Span);
