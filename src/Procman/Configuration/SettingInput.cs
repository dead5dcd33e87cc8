namespace Procman.Configuration;

/// <summary>The raw text a command line (the real one, or PROCMAN_CMD_ARGS) gave one setting.</summary>
internal sealed record SettingInput(SettingDefinition Setting, IReadOnlyList<string> Values);
