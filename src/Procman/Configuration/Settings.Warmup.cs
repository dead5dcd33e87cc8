namespace Procman.Configuration;

internal static partial class Settings
{
    public const string WarmupPath = "warmup_path";
    public const string WarmupRequests = "warmup_requests";

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
                + "through the app's own pipeline, in process: they run its middleware and endpoints but reach no socket, no "
                + "access log and no request count. A failing answer costs a warning, never the boot; the whole warm-up gets at "
                + "most half of boot_timeout. Repeat for several.",
            Default = () => Array.Empty<string>(),
            DefaultText = "[] (no warm-up)",
            Validate = value => ((IEnumerable<string>)value).Select(WarmupPathProblem).FirstOrDefault(problem => problem is not null),
        },
        new()
        {
            Name = WarmupRequests,
            Type = SettingType.Integer,
            Section = WarmupSection,
            Flags = ["--warmup-requests"],
            ValueName = "INT",
            Help = "How many warm-up requests each warmup_path gets, one after the other.",
            // The first request pays for type loading, JIT and the app's first-use initialisation; a few more reach what
            // is built lazily on later requests. Tier-1 code needs 30 calls after 100 ms without new JIT work, which a
            // burst at boot does not give, so more buy little but boot time.
            Default = () => 10,
            DefaultText = "10",
            Validate = value => Between((int)value, 1, 10000, WarmupRequests),
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
