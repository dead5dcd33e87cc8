namespace Procman.Configuration.Python.Syntax;

/// <summary>A statement node; each kind has one execution rule in the interpreter.</summary>
internal abstract record Statement(Span Span);
