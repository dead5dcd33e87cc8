namespace Procman.Configuration;

/// <summary>The settings after every source was applied, and what the operator should be told about them.</summary>
/// <param name="ConfigFile">The config file that was read, or null when there was none.</param>
internal sealed record LoadedSettings(SettingValues Values, IReadOnlyList<string> Warnings, string? ConfigFile);
