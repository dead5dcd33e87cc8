namespace Procman.Configuration;

/// <summary>
/// The value of every setting after the sources have been layered: defaults, then each source in
/// order of precedence, each one replacing what came before it.
/// </summary>
internal sealed class SettingValues
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    public SettingValues()
    {
        foreach (var setting in Settings.All)
        {
            _values[setting.Name] = setting.Default();
            _sources[setting.Name] = "default";
        }
    }

    public void Set(string name, object? value, string source)
    {
        _values[name] = value;
        _sources[name] = source;
    }

    public T Get<T>(string name) => (T)_values[name]!;

    public object? this[string name] => _values[name];

    public string SourceOf(string name) => _sources[name];

    public IEnumerable<KeyValuePair<string, object?>> All => _values.OrderBy(pair => pair.Key, StringComparer.Ordinal);
}
