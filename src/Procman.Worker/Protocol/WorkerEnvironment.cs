namespace Procman.Worker.Protocol;

/// <summary>
/// The environment variables through which the master tells a worker where its sockets are.
/// The worker removes them from its own environment once read, so that processes the app starts
/// do not mistake themselves for procman workers.
/// </summary>
internal static class WorkerEnvironment
{
    /// <summary>The slot number of this worker (1-based), stable across its incarnations.</summary>
    public const string WorkerId = "PROCMAN_WORKER_ID";

    /// <summary>The inherited fd of this worker's end of its private channel (an AF_UNIX socketpair).</summary>
    public const string ChannelFd = "PROCMAN_CHANNEL_FD";

    /// <summary>Comma-separated inherited fds of the listening sockets the master bound.</summary>
    public const string ListenFds = "PROCMAN_LISTEN_FDS";

    /// <summary>The listen backlog; Kestrel calls listen() again on each fd with its own value.</summary>
    public const string Backlog = "PROCMAN_BACKLOG";

    /// <summary>Milliseconds between heartbeats.</summary>
    public const string HeartbeatMilliseconds = "PROCMAN_HEARTBEAT_MS";

    /// <summary>Kestrel's keep-alive timeout, in milliseconds.</summary>
    public const string KeepAliveMilliseconds = "PROCMAN_KEEPALIVE_MS";

    /// <summary>Kestrel's maximum concurrent connections; empty for no limit.</summary>
    public const string MaxConnections = "PROCMAN_MAX_CONNECTIONS";

    /// <summary>The maximum request line size in bytes; 0 for no limit.</summary>
    public const string LimitRequestLine = "PROCMAN_LIMIT_REQUEST_LINE";

    /// <summary>The maximum number of request header fields.</summary>
    public const string LimitRequestFields = "PROCMAN_LIMIT_REQUEST_FIELDS";

    /// <summary>The maximum size of one request header field; 0 for no per-field limit.</summary>
    public const string LimitRequestFieldSize = "PROCMAN_LIMIT_REQUEST_FIELD_SIZE";

    /// <summary>The TLS certificate file; HTTPS on every socket when set.</summary>
    public const string CertFile = "PROCMAN_CERTFILE";

    /// <summary>The TLS private key file, when not in the certificate file.</summary>
    public const string KeyFile = "PROCMAN_KEYFILE";

    /// <summary>Comma-separated addresses and networks of trusted proxies, or *.</summary>
    public const string ForwardedAllowIps = "PROCMAN_FORWARDED_ALLOW_IPS";

    /// <summary>Newline-separated HEADER=VALUE pairs that mark a request from a trusted proxy as HTTPS.</summary>
    public const string SecureSchemeHeaders = "PROCMAN_SECURE_SCHEME_HEADERS";

    /// <summary>The path base the app is mounted under.</summary>
    public const string RootPath = "PROCMAN_ROOT_PATH";

    /// <summary>Where the access log goes: - for stdout, or a file path; unset for none.</summary>
    public const string AccessLog = "PROCMAN_ACCESS_LOG";

    /// <summary>The access log format, in Gunicorn's %(atom)s syntax.</summary>
    public const string AccessLogFormat = "PROCMAN_ACCESS_LOG_FORMAT";

    /// <summary>The name the worker process shows in ps and top.</summary>
    public const string ProcName = "PROCMAN_PROC_NAME";

    /// <summary>The startup hook variable, removed so that the app's own child processes do not load procman.</summary>
    public const string StartupHooks = "DOTNET_STARTUP_HOOKS";

    /// <summary>Every variable the master sets for procman's own use.</summary>
    public static readonly string[] All =
    [
        WorkerId, ChannelFd, ListenFds, Backlog, HeartbeatMilliseconds, KeepAliveMilliseconds, MaxConnections,
        LimitRequestLine, LimitRequestFields, LimitRequestFieldSize, CertFile, KeyFile, ForwardedAllowIps,
        SecureSchemeHeaders, RootPath, AccessLog, AccessLogFormat, ProcName,
    ];
}
