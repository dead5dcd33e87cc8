namespace Procman.Configuration.Python.Syntax;

/// <summary>{k: v}.</summary>
internal sealed record DictDisplay(IReadOnlyList<DictEntry> Entries, Span Span) : Expression(Span);
