using System.Globalization;

namespace Procman.Configuration;

/// <summary>The catalogue of every setting procman has. Adding a setting here adds it everywhere.</summary>
internal static class Settings
{
    public const string Bind = "bind";
    public const string Workers = "workers";
    public const string GracefulTimeout = "graceful_timeout";
    public const string Timeout = "timeout";
    public const string BootTimeout = "boot_timeout";
    public const string RawEnv = "raw_env";
    public const string Backlog = "backlog";
    public const string LogLevel = "loglevel";
    public const string LogFormat = "log_format";

    private const string ServerSocket = "Server socket";
    private const string WorkerProcesses = "Worker processes";
    private const string Logging = "Logging";

    private static readonly string[] LogLevels = ["debug", "info", "warning", "error", "critical"];
    private static readonly string[] LogFormats = ["text", "json"];

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new()
        {
            Name = Bind,
            Type = SettingType.TextList,
            Section = ServerSocket,
            Flags = ["--bind", "-b"],
            ValueName = "ADDRESS",
            Help = "Address to listen on: HOST:PORT, [IPv6]:PORT, unix:PATH or fd://N. Repeat to listen on several.",
            Default = env => new[] { env.Get("PORT") is { Length: > 0 } port ? $"0.0.0.0:{port}" : $"127.0.0.1:{BindAddress.DefaultPort}" },
            DefaultText = "['127.0.0.1:8000'], or ['0.0.0.0:$PORT'] when PORT is set",
            Validate = value => ((IEnumerable<string>)value)
                .Select(text => BindAddress.TryParse(text, out _, out var error) ? null : error)
                .FirstOrDefault(error => error is not null),
        },
        new()
        {
            Name = Backlog,
            Type = SettingType.Integer,
            Section = ServerSocket,
            Flags = ["--backlog"],
            ValueName = "INT",
            Help = "The maximum number of pending connections on each listening socket.",
            Default = _ => 2048,
            DefaultText = "2048",
            Validate = value => Between((int)value, 1, 65535, "backlog"),
        },
        new()
        {
            Name = Workers,
            Type = SettingType.Integer,
            Section = WorkerProcesses,
            Flags = ["--workers", "-w"],
            ValueName = "INT",
            Help = "The number of worker processes.",
            Default = env => int.TryParse(env.Get("WEB_CONCURRENCY"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1,
            DefaultText = "1, or $WEB_CONCURRENCY when set",
            Validate = value => Between((int)value, 1, 1024, "workers"),
        },
        new()
        {
            Name = GracefulTimeout,
            Type = SettingType.Number,
            Section = WorkerProcesses,
            Flags = ["--graceful-timeout"],
            ValueName = "SECONDS",
            Help = "How long a stopping or retiring worker may take to finish its requests before it is killed.",
            Default = _ => 30.0,
            DefaultText = "30",
            Validate = value => (double)value > 0 ? null : "graceful_timeout must be greater than 0 seconds",
        },
        new()
        {
            Name = Timeout,
            Type = SettingType.Number,
            Section = WorkerProcesses,
            Flags = ["--timeout", "-t"],
            ValueName = "SECONDS",
            Help = "A worker that sends no heartbeat for this long is hung and is killed and replaced; 0 turns the check off.",
            Default = _ => 30.0,
            DefaultText = "30",
            Validate = value => (double)value >= 0 ? null : "timeout must be 0 (off) or a positive number of seconds",
        },
        new()
        {
            Name = BootTimeout,
            Type = SettingType.Number,
            Section = WorkerProcesses,
            Flags = ["--boot-timeout"],
            ValueName = "SECONDS",
            Help = "A worker that is not listening this long after it started has failed to boot.",
            Default = _ => 120.0,
            DefaultText = "120",
            Validate = value => (double)value > 0 ? null : "boot_timeout must be greater than 0 seconds",
        },
        new()
        {
            Name = RawEnv,
            Type = SettingType.TextList,
            Section = WorkerProcesses,
            Flags = ["--env", "-e"],
            ValueName = "KEY=VALUE",
            Help = "Set an environment variable for the workers. Repeat for several.",
            Default = _ => Array.Empty<string>(),
            DefaultText = "[]",
            Validate = value => ((IEnumerable<string>)value)
                .Where(item => item.IndexOf('=') <= 0)
                .Select(item => $"environment entry '{item}' is not KEY=VALUE")
                .FirstOrDefault(),
        },
        new()
        {
            Name = LogLevel,
            Type = SettingType.Text,
            Section = Logging,
            Flags = ["--log-level"],
            ValueName = "LEVEL",
            Help = "The master's log level: debug, info, warning, error or critical.",
            Default = _ => "info",
            DefaultText = "'info'",
            Validate = value => OneOf((string)value, LogLevels, "loglevel"),
        },
        new()
        {
            Name = LogFormat,
            Type = SettingType.Text,
            Section = Logging,
            Flags = ["--log-format"],
            ValueName = "FORMAT",
            Help = "The master's log format: text for people, json (compact JSON, one event per line) for machines.",
            Default = _ => "text",
            DefaultText = "'text'",
            Validate = value => OneOf((string)value, LogFormats, "log_format"),
        },
    ];

    public static SettingDefinition Get(string name) => All.First(setting => setting.Name == name);

    private static string? Between(int value, int min, int max, string name)
        => value >= min && value <= max ? null : $"{name} must be between {min} and {max}, not {value}";

    private static string? OneOf(string value, string[] allowed, string name)
        => allowed.Contains(value.ToLowerInvariant()) ? null : $"{name} must be one of {string.Join(", ", allowed)}, not '{value}'";
}
