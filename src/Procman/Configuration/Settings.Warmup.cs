namespace Procman.Configuration;

internal static partial class Settings
{
    public const string WarmupPath = "warmup_path";
    public const string WarmupRequests = "warmup_requests";
    public const string WarmupTierUpTimeout = "warmup_tier_up_timeout";

    private const string WarmupSection = "Worker warm-up";

    private static SettingDefinition[] Warmup =>
    [
        new()
        {
            Name = WarmupPath,
            Type = SettingType.TextList,
            Section = WarmupSection,
            Flags = ["--warmup-path"],
            ValueName = "PATH",
            Help = "Before a new worker says it is ready, send GET requests for this path (with its query, as a client sends it) "
                + "to the worker itself, over a loopback connection of its own that enters Kestrel as a client's would (TLS "
                + "included): they run Kestrel and the app's middleware and endpoints but reach no other worker, no access "
                + "log, no request count and none of the app's traces or request metrics. A failing answer costs a warning, "
                + "never the boot; the whole warm-up gets at most half of boot_timeout. Repeat for several. Without one, a "
                + "worker that boots while another serves still warms Kestrel's own code up (warmup_tier_up_timeout), with "
                + "requests procman answers in front of the app, which never sees them.",
            Default = () => Array.Empty<string>(),
            DefaultText = "[] (Kestrel's own warm-up only)",
            Validate = value => ((IEnumerable<string>)value).Select(WarmupPathProblem).FirstOrDefault(problem => problem is not null),
        },
        new()
        {
            Name = WarmupRequests,
            Type = SettingType.Integer,
            Section = WarmupSection,
            Flags = ["--warmup-requests"],
            ValueName = "INT",
            Help = "How many warm-up requests each warmup_path gets, one after the other, before those of warmup_tier_up_timeout.",
            // The first request pays for type loading, JIT and the app's first-use initialisation; a few more reach what
            // is built lazily on later requests. The optimized code takes more, and warmup_tier_up_timeout sends them.
            Default = () => 10,
            DefaultText = "10",
            Validate = value => Between((int)value, 1, 10000, WarmupRequests),
        },
        new()
        {
            Name = WarmupTierUpTimeout,
            Type = SettingType.Number,
            Section = WarmupSection,
            Flags = ["--warmup-tier-up-timeout"],
            ValueName = "SECONDS",
            Help = "After the warmup_requests, if another worker is ready to serve meanwhile (a reload, a recycle; not at "
                + "start), go on requesting the warmup_paths in turn until the JIT has compiled nothing for 0.5 s, for at "
                + "most this long: the runtime then runs optimized code for them, where a new worker would otherwise serve "
                + "its first seconds of traffic with slower code while it tiers up. Without a warmup_path, the same for "
                + "Kestrel's own code (transport, TLS, HTTP, procman's connection middleware) with requests procman answers in front of "
                + "the app. At most a quarter of boot_timeout; 0 stops after the warmup_requests, and without a warmup_path "
                + "turns the warm-up off.",
            // Measured on HelloApi (2 cores): the JIT went quiet 5.5-7 s into the warm-up of a lone worker; a worker that
            // boots while others serve gets less of the CPU.
            Default = () => 10.0,
            DefaultText = "10",
            Validate = value => ZeroOrPositive((double)value, WarmupTierUpTimeout),
        },
    ];

    private static string? WarmupPathProblem(string path)
    {
        if (path is not ['/', ..])
        {
            return $"warmup_path must start with '/' (a path as a client sends it, such as /health), not '{path}'";
        }
        return path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? $"warmup_path must not contain spaces or control characters (percent-encode them), not '{path}'"
            : null;
    }
}
