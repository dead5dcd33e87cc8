using System.Globalization;

namespace Procman.Configuration;

internal static partial class Settings
{
    public const string Workers = "workers";
    public const string GracefulTimeout = "graceful_timeout";
    public const string ShutdownDelay = "shutdown_delay";
    public const string Timeout = "timeout";
    public const string BootTimeout = "boot_timeout";
    public const string ReloadBatch = "reload_batch";
    public const string BootNice = "boot_nice";
    public const string MaxRequests = "max_requests";
    public const string MaxRequestsJitter = "max_requests_jitter";
    public const string MaxWorkerMemory = "max_worker_memory";
    public const string MaxWorkerLifetime = "max_worker_lifetime";
    public const string MaxWorkerLifetimeJitter = "max_worker_lifetime_jitter";
    public const string DumpDir = "dump_dir";
    public const string Balance = "balance";

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
            Default = () => 1,
            EnvironmentVariable = "WEB_CONCURRENCY",
            DefaultText = "1",
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
            Default = () => 30.0,
            DefaultText = "30",
            Validate = value => Positive((double)value, GracefulTimeout),
        },
        new()
        {
            Name = ShutdownDelay,
            Type = SettingType.Number,
            Section = "Worker processes",
            Flags = ["--shutdown-delay"],
            ValueName = "SECONDS",
            Help = "After SIGTERM, keep serving and accepting this long before the graceful stop begins: the time a load balancer " +
                "(a Kubernetes Service) takes to stop sending new connections. A second SIGTERM, or SIGINT, stops at once.",
            Default = () => 0.0,
            DefaultText = "0",
            Validate = value => ZeroOrPositive((double)value, ShutdownDelay),
        },
        new()
        {
            Name = Timeout,
            Type = SettingType.Number,
            Section = "Worker processes",
            Flags = ["--timeout", "-t"],
            ValueName = "SECONDS",
            Help = "A worker whose queued work has waited this long for its thread pool, or that has sent nothing for this long, is hung: its stacks are logged and it is killed and replaced; 0 turns the check off.",
            Default = () => 30.0,
            DefaultText = "30",
            Validate = value => ZeroOrPositive((double)value, Timeout),
        },
        new()
        {
            Name = BootTimeout,
            Type = SettingType.Number,
            Section = "Worker processes",
            Flags = ["--boot-timeout"],
            ValueName = "SECONDS",
            Help = "A worker that is not listening this long after it started has failed to boot.",
            Default = () => 120.0,
            DefaultText = "120",
            Validate = value => Positive((double)value, BootTimeout),
        },
        new()
        {
            Name = ReloadBatch,
            Type = SettingType.Integer,
            Section = "Worker processes",
            Flags = ["--reload-batch"],
            ValueName = "INT",
            Help = "A reload boots this many new workers at a time and retires an old one as each is ready (a rolling reload: " +
                "at most workers + this many processes, never fewer serving than workers); 0 boots every new worker at once and " +
                "retires the old ones when all are ready (faster, but the new workers' boot takes the CPU from the serving ones: " +
                "docs/benchmarks.md, \"Reloads clients cannot feel\").",
            Default = () => 1,
            DefaultText = "1 (one at a time)",
            Validate = value => Between((int)value, 0, 1024, ReloadBatch),
        },
        new()
        {
            Name = BootNice,
            Type = SettingType.Integer,
            Section = "Worker processes",
            Flags = ["--boot-nice"],
            ValueName = "INT",
            Help = "A booting worker runs at this nice value (1..19, lower CPU priority) until it is ready, so that the workers " +
                "serving meanwhile keep the CPU; then its threads go back to the master's priority. Needs the right to raise a " +
                "priority (root or CAP_SYS_NICE); 0 turns it off.",
            Default = () => 0,
            DefaultText = "0 (off)",
            Validate = value => Between((int)value, 0, 19, BootNice),
        },
        new()
        {
            Name = Balance,
            Type = SettingType.Boolean,
            Section = "Worker processes",
            Flags = ["--balance"],
            Help = "Even out keep-alive connections across workers: a worker over its share stops accepting and asks its excess clients, with Connection: close, to reconnect.",
            Default = () => true,
            DefaultText = "True",
        },
        new()
        {
            Name = DumpDir,
            Type = SettingType.Text,
            Section = "Worker processes",
            Flags = ["--dump-dir"],
            ValueName = "DIR",
            AllowsNone = true,
            Help = "Keep the dump a hung worker's stacks are read from (threads and stacks, for dotnet-dump) in this directory; without it the dump is deleted once read.",
            Default = () => null,
            DefaultText = "None (no dump)",
        },
        new()
        {
            Name = MaxRequests,
            Type = SettingType.Integer,
            Section = "Worker recycling",
            Flags = ["--max-requests"],
            ValueName = "INT",
            Help = "Recycle a worker after it has served this many requests; 0 turns it off. The replacement is ready before the worker retires.",
            Default = () => 0,
            DefaultText = "0 (off)",
            Validate = value => Between((int)value, 0, int.MaxValue, MaxRequests),
        },
        new()
        {
            Name = MaxRequestsJitter,
            Type = SettingType.Integer,
            Section = "Worker recycling",
            Flags = ["--max-requests-jitter"],
            ValueName = "INT",
            Help = "Each worker's request limit is drawn once from max_requests to max_requests + this, so that workers do not all recycle together.",
            Default = () => 0,
            DefaultText = "0",
            // The jitter is drawn with Random.Next(0, jitter + 1), which int.MaxValue would overflow.
            Validate = value => Between((int)value, 0, int.MaxValue - 1, MaxRequestsJitter),
        },
        new()
        {
            Name = MaxWorkerMemory,
            Type = SettingType.Text,
            Section = "Worker recycling",
            Flags = ["--max-worker-memory"],
            ValueName = "SIZE",
            AllowsNone = true,
            Help = "Recycle a worker whose resident memory (RSS) stays over this size, such as 512MB or 2GB, for three samples in a row (sampled every 2 s); at least 32MB. "
                + "In a config file an int is bytes (400 * 1024 * 1024); an int under 32MB is ignored with a warning, because Gunicorn has no such setting and files written for it use the name for megabytes of their own (max_worker_memory = 400).",
            Default = () => null,
            DefaultText = "None (off)",
            FromInteger = bytes => bytes.ToString(CultureInfo.InvariantCulture),
            IgnoreInConfig = value => value is long bytes and < ByteSize.SmallestWorkerLimit
                ? $"as bytes it is less than any .NET worker uses; for megabytes write max_worker_memory = '{bytes}MB'"
                : null,
            Validate = value => ValidateWorkerMemory((string)value),
        },
        new()
        {
            Name = MaxWorkerLifetime,
            Type = SettingType.Number,
            Section = "Worker recycling",
            Flags = ["--max-worker-lifetime"],
            ValueName = "SECONDS",
            Help = "Recycle a worker after it has run this long; 0 turns it off.",
            Default = () => 0.0,
            DefaultText = "0 (off)",
            Validate = value => ZeroOrPositive((double)value, MaxWorkerLifetime),
        },
        new()
        {
            Name = MaxWorkerLifetimeJitter,
            Type = SettingType.Number,
            Section = "Worker recycling",
            Flags = ["--max-worker-lifetime-jitter"],
            ValueName = "SECONDS",
            Help = "Each worker's lifetime is drawn once from max_worker_lifetime to max_worker_lifetime + this.",
            Default = () => 0.0,
            DefaultText = "0",
            Validate = value => ZeroOrPositive((double)value, MaxWorkerLifetimeJitter),
        },
    ];

    private static string? ValidateWorkerMemory(string value)
    {
        if (!ByteSize.TryParse(value, out var bytes, out var error))
        {
            return error;
        }
        return bytes >= ByteSize.SmallestWorkerLimit
            ? null
            : $"max_worker_memory must be at least 32MB (no .NET worker runs in less, so every worker would be recycled), not {bytes} bytes";
    }
}
