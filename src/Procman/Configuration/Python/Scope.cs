namespace Procman.Configuration.Python;

/// <summary>The names of the module, or of one function call, with the scope it was defined in as its parent.</summary>
internal sealed class Scope(Scope? parent)
{
    public Dictionary<string, object?> Names { get; } = new(StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    /// <summary>Names a function declared <c>global</c>: assigned in the module scope.</summary>
    public HashSet<string> Globals { get; } = new(StringComparer.Ordinal);

    public bool IsModule => Parent is null;

    public bool TryLookup(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.Names.TryGetValue(name, out value))
            {
                return true;
            }
        }
        value = null;
        return false;
    }
}
