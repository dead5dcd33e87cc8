namespace Procman.Configuration;

internal static partial class Settings
{
    public const string LogLevel = "loglevel";
    public const string LogFormat = "log_format";
    public const string ErrorLog = "errorlog";
    public const string AccessLog = "accesslog";
    public const string AccessLogFormat = "access_log_format";
    public const string CaptureOutput = "capture_output";

    /// <summary>Gunicorn's default access log format.</summary>
    public const string DefaultAccessLogFormat = Protocol.WorkerSettings.DefaultAccessLogFormat;

    private static readonly string[] LogLevels = ["debug", "info", "warning", "error", "critical"];
    private static readonly string[] LogFormats = ["text", "json"];

    private static SettingDefinition[] Logging =>
    [
        new()
        {
            Name = LogLevel,
            Type = SettingType.Text,
            Section = "Logging",
            Flags = ["--log-level"],
            ValueName = "LEVEL",
            Help = "The master's log level: debug, info, warning, error or critical.",
            Default = () => "info",
            DefaultText = "'info'",
            Validate = value => OneOf((string)value, LogLevels, LogLevel),
        },
        new()
        {
            Name = LogFormat,
            Type = SettingType.Text,
            Section = "Logging",
            Flags = ["--log-format"],
            ValueName = "FORMAT",
            Help = "The log format: text for people, json (compact JSON, one event per line) for machines; with json every line a worker writes is such an event too.",
            Default = () => "text",
            DefaultText = "'text'",
            Validate = value => OneOf((string)value, LogFormats, LogFormat),
        },
        new()
        {
            Name = ErrorLog,
            Type = SettingType.Text,
            Section = "Logging",
            Flags = ["--error-logfile", "--log-file"],
            ValueName = "FILE",
            Help = "Where the master logs: - for stderr, or a file path (reopened on SIGUSR1).",
            Default = () => "-",
            DefaultText = "'-'",
        },
        new()
        {
            Name = AccessLog,
            Type = SettingType.Text,
            Section = "Logging",
            Flags = ["--access-logfile"],
            ValueName = "FILE",
            AllowsNone = true,
            Help = "Write one line per request, from each worker: - for stdout, or a file path. None turns it off.",
            Default = () => null,
            DefaultText = "None",
        },
        new()
        {
            Name = AccessLogFormat,
            Type = SettingType.Text,
            Section = "Logging",
            Flags = ["--access-logformat"],
            ValueName = "STRING",
            Help = "The access log line, in Gunicorn's %(atom)s syntax: h remote address, t time, r request line, s status, b bytes, f referer, a user agent, T/M/D duration, {header}i, {header}o, p pid.",
            Default = () => DefaultAccessLogFormat,
            DefaultText = "Gunicorn's: '%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"'",
        },
        new()
        {
            Name = CaptureOutput,
            Type = SettingType.Boolean,
            Section = "Logging",
            Flags = ["--capture-output"],
            Help = "Send the workers' stdout and stderr to errorlog instead of procman's own stdout and stderr.",
            Default = () => false,
            DefaultText = "False",
        },
    ];
}
