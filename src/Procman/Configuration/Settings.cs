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
        .. Warmup,
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

    /// <summary>
    /// The longest duration a setting takes, in seconds: int.MaxValue milliseconds, 24.8 days, the limit of every .NET
    /// API that takes int milliseconds. A worker's host turns graceful_timeout (DOTNET_shutdownTimeoutSeconds) into
    /// CancellationTokenSource.CancelAfter, which throws past uint.MaxValue - 1 ms: in a worker that is an abort in the
    /// middle of a graceful stop. Every duration stays inside what all of them accept.
    /// </summary>
    public const int MaxSeconds = int.MaxValue / 1000;

    /// <summary>A duration that must be more than 0 seconds.</summary>
    private static string? Positive(double value, string name)
        => double.IsFinite(value) && value > 0 && value <= MaxSeconds
            ? null
            : $"{name} must be more than 0 and at most {MaxSeconds} seconds (24.8 days, the longest .NET timers wait), not {Show(value)}";

    /// <summary>A duration where 0 turns the feature off, as in Gunicorn's timeout.</summary>
    private static string? ZeroOrPositive(double value, string name)
        => double.IsFinite(value) && value >= 0 && value <= MaxSeconds
            ? null
            : $"{name} must be from 0 (off) to {MaxSeconds} seconds (24.8 days, the longest .NET timers wait), not {Show(value)}";

    /// <summary>A number as Python prints it, so that a config file's <c>float('inf')</c> reads back as <c>inf</c>.</summary>
    private static string Show(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        double.NaN => "nan",
        _ => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string? OneOf(string value, string[] allowed, string name)
        => allowed.Contains(value.ToLowerInvariant()) ? null : $"{name} must be one of {string.Join(", ", allowed)}, not '{value}'";
}
