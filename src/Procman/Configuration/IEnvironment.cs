namespace Procman.Configuration;

/// <summary>The process environment as settings see it, so that defaults can be tested without touching the real one.</summary>
internal interface IEnvironment
{
    string? Get(string name);

    IReadOnlyDictionary<string, string> All();
}
