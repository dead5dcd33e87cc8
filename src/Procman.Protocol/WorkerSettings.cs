namespace Procman.Protocol;

/// <summary>
/// What the master tells a worker through its environment. Every default is defined here, once: the master
/// leaves a property at its default when it has nothing to say, and the worker reads a missing variable as it.
/// </summary>
/// <remarks>
/// A new setting is one property here and one entry in <see cref="WorkerSettingsCodec"/>.
/// </remarks>
public sealed record WorkerSettings
{
    /// <summary>Gunicorn's default access log format.</summary>
    public const string DefaultAccessLogFormat = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";

    /// <summary>The slot number of this worker (1-based), stable across its incarnations.</summary>
    public int WorkerId { get; init; }

    /// <summary>The inherited fd of this worker's end of its private channel (an AF_UNIX socketpair).</summary>
    public int ChannelFd { get; init; } = -1;

    /// <summary>The inherited fds of the listening sockets the master bound.</summary>
    public IReadOnlyList<int> ListenFds { get; init; } = [];

    /// <summary>The listen backlog; Kestrel calls listen() again on each fd with its own value.</summary>
    public int Backlog { get; init; } = 2048;

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Kestrel's keep-alive timeout; null leaves Kestrel's own.</summary>
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>Kestrel's maximum concurrent connections; null for no limit.</summary>
    public long? MaxConnections { get; init; }

    /// <summary>The maximum request line size in bytes, 0 for no limit; null leaves Kestrel's own.</summary>
    public int? LimitRequestLine { get; init; }

    /// <summary>The maximum number of request header fields; null leaves Kestrel's own.</summary>
    public int? LimitRequestFields { get; init; }

    /// <summary>The maximum size of one request header field; 0 for no per-field limit.</summary>
    public int LimitRequestFieldSize { get; init; }

    /// <summary>The TLS certificate file, an absolute path; HTTPS on every socket when set.</summary>
    public string? CertFile { get; init; }

    /// <summary>The TLS private key file, an absolute path, when not in the certificate file.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Comma-separated addresses and networks of trusted proxies, or *.</summary>
    public string? ForwardedAllowIps { get; init; }

    /// <summary>HEADER → VALUE pairs that mark a request from a trusted proxy as HTTPS.</summary>
    public IReadOnlyDictionary<string, string> SecureSchemeHeaders { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The HTTP versions to serve, in order of preference (ALPN): h1, h2.</summary>
    public IReadOnlyList<string> HttpProtocols { get; init; } = ["h2", "h1"];

    /// <summary>Whether a cleartext socket serves HTTP/2 to a connection that opens with the HTTP/2 preface.</summary>
    public bool Http2PriorKnowledge { get; init; }

    /// <summary>The path base the app is mounted under.</summary>
    public string? RootPath { get; init; }

    /// <summary>Where the access log goes: - for stdout, or an absolute file path; null for none.</summary>
    public string? AccessLog { get; init; }

    /// <summary>The access log format, in Gunicorn's %(atom)s syntax.</summary>
    public string AccessLogFormat { get; init; } = DefaultAccessLogFormat;

    /// <summary>The name the worker process shows in ps and top.</summary>
    public string? ProcName { get; init; }

    /// <summary>max_requests, 0 for none: the worker adds its own draw of 0..<see cref="MaxRequestsJitter"/> and says when it reaches it.</summary>
    public long MaxRequests { get; init; }

    public int MaxRequestsJitter { get; init; }

    /// <summary>
    /// The paths (with their query, as a client sends them) the worker requests over a connection of its own into its
    /// Kestrel, after Kestrel listens and before it says it is ready; none for the server's own warm-up at most
    /// (<see cref="WarmsServerOnly"/>).
    /// </summary>
    public IReadOnlyList<string> WarmupPaths { get; init; } = [];

    /// <summary>How many requests each warm-up path gets.</summary>
    public int WarmupRequests { get; init; } = 10;

    /// <summary>
    /// The longest the warm-up goes on after <see cref="WarmupRequests"/>, requesting the paths until the JIT is
    /// quiet; zero for not at all.
    /// </summary>
    public TimeSpan WarmupTierUpTimeout { get; init; }

    /// <summary>Whether the worker warms up before it says it is ready: with its paths, or the server's own warm-up.</summary>
    public bool WarmsUp => WarmupPaths.Count > 0 || WarmsServerOnly;

    /// <summary>
    /// Without warm-up paths, whether the worker still warms Kestrel's own code up (transport, TLS, HTTP, procman's
    /// connection middleware) until the JIT is quiet, with requests procman answers in front of the app, which never
    /// sees them: when a tier-up part is asked for, which the master asks only while another worker serves.
    /// </summary>
    public bool WarmsServerOnly => WarmupPaths.Count == 0 && WarmupTierUpTimeout > TimeSpan.Zero;

    /// <summary>The longest the whole warm-up may take: the worker says it is ready once it has passed, warm or not.</summary>
    public TimeSpan WarmupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The ids the worker runs as (user, group, initgroups); null keeps procman's own.</summary>
    public WorkerCredentials? Credentials { get; init; }
}
