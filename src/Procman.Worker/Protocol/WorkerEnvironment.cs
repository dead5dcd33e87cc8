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

    /// <summary>The startup hook variable, removed so that the app's own child processes do not load procman.</summary>
    public const string StartupHooks = "DOTNET_STARTUP_HOOKS";

    /// <summary>Every variable the master sets for procman's own use.</summary>
    public static readonly string[] All = [WorkerId, ChannelFd, ListenFds, Backlog, HeartbeatMilliseconds];
}
