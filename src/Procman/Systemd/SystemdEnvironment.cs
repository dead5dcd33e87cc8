namespace Procman.Systemd;

/// <summary>The variables through which systemd talks to the process it started (sd_notify(3), sd_listen_fds(3)).</summary>
internal static class SystemdEnvironment
{
    public const string NotifySocket = "NOTIFY_SOCKET";
    public const string WatchdogMicroseconds = "WATCHDOG_USEC";
    public const string WatchdogPid = "WATCHDOG_PID";
    public const string ListenFds = "LISTEN_FDS";
    public const string ListenPid = "LISTEN_PID";
    public const string ListenFdNames = "LISTEN_FDNAMES";

    /// <summary>
    /// Meant for procman alone, never for a worker: an app that calls <c>UseSystemd()</c> would otherwise send
    /// its own READY=1 for the whole service, or try to adopt sockets that are procman's.
    /// </summary>
    public static readonly IReadOnlyList<string> MasterOnly =
        [NotifySocket, WatchdogMicroseconds, WatchdogPid, ListenFds, ListenPid, ListenFdNames];
}
