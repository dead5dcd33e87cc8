using System.Globalization;
using Procman.Worker.Protocol;

namespace Procman.Worker.Hosting;

/// <summary>What the master told this worker through its environment.</summary>
internal sealed record WorkerSettings
{
    public int WorkerId { get; init; }

    public int ChannelFd { get; init; } = -1;

    public IReadOnlyList<int> ListenFds { get; init; } = [];

    public int Backlog { get; init; } = 2048;

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan? KeepAlive { get; init; }

    public long? MaxConnections { get; init; }

    public int? LimitRequestLine { get; init; }

    public int? LimitRequestFields { get; init; }

    public int LimitRequestFieldSize { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public string? ForwardedAllowIps { get; init; }

    public IReadOnlyDictionary<string, string> SecureSchemeHeaders { get; init; } = new Dictionary<string, string>();

    public string? RootPath { get; init; }

    public string? AccessLog { get; init; }

    public string? AccessLogFormat { get; init; }

    public string? ProcName { get; init; }

    /// <summary>Reads the settings, or returns null when this process was not started by procman.</summary>
    public static WorkerSettings? FromEnvironment()
    {
        if (string.IsNullOrEmpty(Get(WorkerEnvironment.ChannelFd)))
        {
            return null;
        }

        var settings = new WorkerSettings
        {
            WorkerId = Int(WorkerEnvironment.WorkerId) ?? 0,
            ChannelFd = Int(WorkerEnvironment.ChannelFd) ?? -1,
            ListenFds = (Get(WorkerEnvironment.ListenFds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(fd => int.Parse(fd, CultureInfo.InvariantCulture)).ToArray(),
            Backlog = Int(WorkerEnvironment.Backlog) ?? 2048,
            HeartbeatInterval = TimeSpan.FromMilliseconds(Int(WorkerEnvironment.HeartbeatMilliseconds) ?? 1000),
            KeepAlive = Int(WorkerEnvironment.KeepAliveMilliseconds) is int keepAlive ? TimeSpan.FromMilliseconds(keepAlive) : null,
            MaxConnections = Int(WorkerEnvironment.MaxConnections),
            LimitRequestLine = Int(WorkerEnvironment.LimitRequestLine),
            LimitRequestFields = Int(WorkerEnvironment.LimitRequestFields),
            LimitRequestFieldSize = Int(WorkerEnvironment.LimitRequestFieldSize) ?? 0,
            CertFile = Get(WorkerEnvironment.CertFile),
            KeyFile = Get(WorkerEnvironment.KeyFile),
            ForwardedAllowIps = Get(WorkerEnvironment.ForwardedAllowIps),
            SecureSchemeHeaders = (Get(WorkerEnvironment.SecureSchemeHeaders) ?? "")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase),
            RootPath = Get(WorkerEnvironment.RootPath),
            AccessLog = Get(WorkerEnvironment.AccessLog),
            AccessLogFormat = Get(WorkerEnvironment.AccessLogFormat),
            ProcName = Get(WorkerEnvironment.ProcName),
        };

        foreach (var name in WorkerEnvironment.All)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable(WorkerEnvironment.StartupHooks, null);
        return settings;
    }

    private static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static int? Int(string name)
        => int.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
