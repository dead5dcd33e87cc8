using System.Globalization;

namespace Procman.Configuration;

internal static partial class Settings
{
    public const string Workers = "workers";
    public const string GracefulTimeout = "graceful_timeout";
    public const string Timeout = "timeout";
    public const string BootTimeout = "boot_timeout";

    private static SettingDefinition[] WorkerProcesses =>
    [
        new()
        {
            Name = Workers,
            Type = SettingType.Integer,
            Section = "Worker processes",
            Flags = ["--workers", "-w"],
            ValueName = "INT",
            Help = "The number of worker processes. A .NET worker is multi-threaded: a few per machine are usually enough.",
            Default = env => int.TryParse(env.Get("WEB_CONCURRENCY"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1,
            DefaultText = "1, or $WEB_CONCURRENCY when set",
            Validate = value => Between((int)value, 1, 1024, Workers),
        },
        new()
        {
            Name = GracefulTimeout,
            Type = SettingType.Number,
            Section = "Worker processes",
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
            Section = "Worker processes",
            Flags = ["--timeout", "-t"],
            ValueName = "SECONDS",
            Help = "A worker that sends no heartbeat for this long is hung and is killed and replaced; 0 turns the check off.",
            Default = _ => 30.0,
            DefaultText = "30",
            Validate = value => AtLeast((double)value, 0, Timeout),
        },
        new()
        {
            Name = BootTimeout,
            Type = SettingType.Number,
            Section = "Worker processes",
            Flags = ["--boot-timeout"],
            ValueName = "SECONDS",
            Help = "A worker that is not listening this long after it started has failed to boot.",
            Default = _ => 120.0,
            DefaultText = "120",
            Validate = value => (double)value > 0 ? null : "boot_timeout must be greater than 0 seconds",
        },
    ];
}
