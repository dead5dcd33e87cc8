using Procman.Configuration;

namespace Procman.Tests.Configuration;

internal sealed class FakeEnvironment : IEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public FakeEnvironment(params (string Name, string Value)[] variables)
    {
        _variables = variables.ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);
    }

    public string? Get(string name) => _variables.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> All() => _variables;
}
