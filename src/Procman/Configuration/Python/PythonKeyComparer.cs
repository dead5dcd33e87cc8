namespace Procman.Configuration.Python;

/// <summary>Python's key equality for dicts and sets: 1, 1.0 and True are the same key; tuples compare by items.</summary>
internal sealed class PythonKeyComparer : IEqualityComparer<object?>
{
    public static readonly PythonKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) => PythonValues.Equal(x, y);

    public int GetHashCode(object? obj) => obj switch
    {
        null => 0,
        bool or long or double => PythonValues.ToDouble(obj).GetHashCode(),
        string s => StringComparer.Ordinal.GetHashCode(s),
        object?[] tuple => tuple.Aggregate(17, (hash, item) => (hash * 31) + GetHashCode(item)),
        _ => obj.GetHashCode(),
    };
}
