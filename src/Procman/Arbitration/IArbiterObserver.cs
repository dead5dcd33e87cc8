namespace Procman.Arbitration;

/// <summary>
/// Told the arbiter's state after every event it handled (ticks included: five times a second while
/// anything moves, at least once a second, more often when <see cref="Pace"/> asks). Called on the arbiter loop:
/// an observer must be quick and must not throw.
/// </summary>
/// <remarks>
/// Service managers (systemd's notify protocol, a readiness endpoint) read procman's state through this one
/// seam instead of hooks spread through the arbiter's decisions.
/// </remarks>
internal interface IArbiterObserver
{
    void OnChanged(ArbiterStatus status);

    /// <summary>How often the observer must hear at the least (systemd's watchdog pings), or null for no bound.</summary>
    TimeSpan? Pace { get; }
}
