namespace Procman.Configuration;

/// <summary>
/// The catalogue of every setting procman has, one definition each, split by section into partials.
/// Adding a setting here adds it to the CLI, the config file, <c>--print-config</c> and docs/settings.md.
/// </summary>
internal static partial class Settings
{
    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        .. ConfigFile,
        .. ServerSocket,
        .. WorkerProcesses,
        .. Http,
        .. ServerMechanics,
        .. Logging,
        .. Control,
    ];

    private static readonly Dictionary<string, SettingDefinition> ByName = All.ToDictionary(setting => setting.Name, StringComparer.Ordinal);

    public static SettingDefinition Get(string name) => ByName[name];

    public static bool TryGet(string name, out SettingDefinition? setting) => ByName.TryGetValue(name, out setting);

    private static string? Between(int value, int min, int max, string name)
        => value >= min && value <= max ? null : $"{name} must be between {min} and {max}, not {value}";

    private static string? AtLeast(double value, double min, string name, string unit = "seconds")
        => value >= min ? null : $"{name} must be at least {min} {unit}, not {value}";

    private static string? OneOf(string value, string[] allowed, string name)
        => allowed.Contains(value.ToLowerInvariant()) ? null : $"{name} must be one of {string.Join(", ", allowed)}, not '{value}'";
}
