using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;

namespace Procman.Systemd;

/// <summary>
/// Tells systemd what the master is doing over the notify protocol (sd_notify(3)): READY=1 once every worker
/// is ready, RELOADING=1 and READY=1 around a reload (what <c>Type=notify-reload</c> waits for), STOPPING=1,
/// a current STATUS=, EXTEND_TIMEOUT_USEC= while procman's own bounds allow a long boot or drain, and
/// WATCHDOG=1 while at least one worker is healthy.
/// </summary>
/// <remarks>
/// Driven by the arbiter loop (<see cref="IArbiterObserver"/>), which ticks often enough for the watchdog's
/// interval (<see cref="Pace"/>): a master whose loop is stuck stops pinging the watchdog, which is the point of
/// the watchdog.
/// </remarks>
internal sealed partial class SystemdNotifications(
    ISystemdNotifier notifier,
    TimeProvider time,
    TimeSpan? watchdogInterval,
    int pid,
    ILogger<SystemdNotifications> logger) : IArbiterObserver
{
    // Added to procman's own deadline in EXTEND_TIMEOUT_USEC, for the time between that deadline and the
    // message that follows it.
    private static readonly TimeSpan ExtendMargin = TimeSpan.FromSeconds(5);

    private bool _ready;
    private bool _reloading;
    private bool _stopping;
    private bool _failed;
    private int _reloadRequests;
    private string? _status;
    private DateTimeOffset? _extendedTo;
    private DateTimeOffset _lastPing = DateTimeOffset.MinValue;

    /// <summary>The notifications for this process, or null when systemd did not ask for them (no NOTIFY_SOCKET).</summary>
    public static SystemdNotifications? FromEnvironment(IEnvironment environment, TimeProvider time, ILogger<SystemdNotifications> logger)
    {
        if (environment.Get(SystemdEnvironment.NotifySocket) is not { Length: > 0 } socket)
        {
            return null;
        }
        var pid = Environment.ProcessId;
        var interval = WatchdogInterval(environment, pid);
        var notifications = new SystemdNotifications(new SystemdNotifier(), time, interval, pid, logger);
        notifications.LogNotifying(socket, interval is { } every ? $"; watchdog every {every.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : "");
        return notifications;
    }

    /// <summary>Half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; none when the watchdog is meant for another process.</summary>
    public static TimeSpan? WatchdogInterval(IEnvironment environment, int pid)
    {
        if (!long.TryParse(environment.Get(SystemdEnvironment.WatchdogMicroseconds), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }
        if (environment.Get(SystemdEnvironment.WatchdogPid) is { Length: > 0 } watched
            && (!int.TryParse(watched, NumberStyles.None, CultureInfo.InvariantCulture, out var watchedPid) || watchedPid != pid))
        {
            return null;
        }
        return TimeSpan.FromMicroseconds(microseconds / 2.0);
    }

    public TimeSpan? Pace => watchdogInterval;

    public void OnChanged(ArbiterStatus status)
    {
        if (status.Phase == ArbiterPhase.HandedOver)
        {
            // The new master sent MAINPID= and READY=1 for the service: a STOPPING=1, a STATUS= or a watchdog ping
            // from this one would speak for a service it no longer is.
            return;
        }
        var now = time.GetUtcNow();
        if (status.ReloadRequests > _reloadRequests && !_stopping)
        {
            // Its own message: systemd reads READY=1 before RELOADING=1 in one message, and a refused reload
            // sends READY=1 right after this.
            _reloadRequests = status.ReloadRequests;
            _reloading = true;
            Send($"RELOADING=1\nMONOTONIC_USEC={MonotonicMicroseconds().ToString(CultureInfo.InvariantCulture)}");
        }

        var lines = new List<string>();
        if (status.Phase is ArbiterPhase.Stopping or ArbiterPhase.ShutdownDelay && !_stopping)
        {
            _stopping = true;
            lines.Add("STOPPING=1");
        }
        else if (status.Phase == ArbiterPhase.Serving && (!_ready || _reloading))
        {
            // MAINPID= first: after an upgrade (SIGUSR2) it is what moves systemd to this master, before the READY=1
            // that tells it the service is up; the old master then exits as a process of the service, not its main one.
            if (!_ready)
            {
                lines.Add($"MAINPID={pid.ToString(CultureInfo.InvariantCulture)}");
            }
            lines.Add("READY=1");
            _ready = true;
            _reloading = false;
        }

        var text = Describe(status);
        if (text != _status)
        {
            _status = text;
            lines.Add("STATUS=" + text);
        }

        if (status.Phase is not ArbiterPhase.Serving
            && status.Deadline is { } deadline && (_extendedTo is not { } extended || deadline + ExtendMargin > extended + TimeSpan.FromSeconds(1)))
        {
            _extendedTo = deadline + ExtendMargin;
            var microseconds = (long)Math.Max(0, (deadline + ExtendMargin - now).TotalMicroseconds);
            lines.Add($"EXTEND_TIMEOUT_USEC={microseconds.ToString(CultureInfo.InvariantCulture)}");
        }
        else if (status.Deadline is null)
        {
            _extendedTo = null;
        }

        if (watchdogInterval is { } interval && status.Healthy > 0 && now - _lastPing >= interval)
        {
            _lastPing = now;
            lines.Add("WATCHDOG=1");
        }

        if (lines.Count > 0)
        {
            Send(string.Join('\n', lines));
        }
    }

    /// <summary>The STATUS= line: what <c>systemctl status</c> shows under the unit.</summary>
    public static string Describe(ArbiterStatus status) => status.Phase switch
    {
        ArbiterPhase.Booting => $"booting: {status.Ready}/{status.Target} workers ready",
        ArbiterPhase.Reloading => $"{status.Ready}/{status.Target} workers ready, generation {status.Generation}, " +
            $"reload in progress: {status.ReloadReady}/{status.ReloadTarget} of generation {status.ReloadGeneration} ready",
        ArbiterPhase.Stopping => $"stopping: {status.Workers} worker(s) left",
        ArbiterPhase.ShutdownDelay => $"shutdown delay: {status.Ready}/{status.Target} workers still serving, then a graceful stop",
        _ => $"{status.Ready}/{status.Target} workers ready, generation {status.Generation}",
    };

    /// <summary>CLOCK_MONOTONIC in microseconds, the clock systemd compares MONOTONIC_USEC= with; .NET's timestamps read it on Linux.</summary>
    private long MonotonicMicroseconds() => (long)time.GetElapsedTime(0).TotalMicroseconds;

    private void Send(string message)
    {
        try
        {
            notifier.Notify(new ServiceState(message));
        }
        catch (SocketException ex)
        {
            // systemd may be restarting (a daemon-reexec); procman serves on and tries again with the next message.
            if (!_failed)
            {
                _failed = true;
                LogNotifyFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Notifying systemd on {Socket}{Watchdog}")]
    private partial void LogNotifying(string socket, string watchdog);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Cannot notify systemd: {Error}; procman keeps serving and keeps trying")]
    private partial void LogNotifyFailed(string error);
}
