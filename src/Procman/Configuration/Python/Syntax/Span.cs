namespace Procman.Configuration.Python.Syntax;

/// <summary>Where a node sits in the source, as character offsets, for errors that quote it.</summary>
internal readonly record struct Span(int Start, int End);
