using Microsoft.Extensions.Logging;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    /// <summary>While shutdown_delay runs after SIGTERM: when the graceful stop begins.</summary>
    private DateTimeOffset? _shutdownAt;

    /// <summary>
    /// Kubernetes sends SIGTERM and removes the pod from its Service's endpoints at the same time, and the
    /// proxies learn of it a few seconds later: a server that stopped accepting at once would refuse the
    /// connections still sent its way. So procman serves on for shutdown_delay, then stops gracefully.
    /// </summary>
    private void BeginShutdownDelay()
    {
        _shutdownAt = _time.GetUtcNow() + Options.ShutdownDelay;
        AbandonUpgradeForStop();
        LogShutdownDelay(Options.ShutdownDelay.TotalSeconds);
    }

    private void EndShutdownDelayIfDue(DateTimeOffset now)
    {
        if (_shutdownAt is { } due && now >= due)
        {
            _shutdownAt = null;
            BeginStop(quick: false, ExitCodes.Success, error: null);
        }
    }

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Received SIGTERM: serving {Seconds:0.#} s more (shutdown_delay), then a graceful stop")]
    private partial void LogShutdownDelay(double seconds);
}
