namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    /// <summary>
    /// The tick while anything is in motion: a worker booting, recycling, draining or stopping, a reload, an
    /// upgrade, a shutdown delay or a respawn waiting. Deadlines and the drain's pace are checked this often.
    /// </summary>
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The tick of a steady pool, every worker ready and nothing pending: what it still checks (heartbeat
    /// timeouts, max_requests and lifetime recycles, memory samples, balance) is measured in seconds, and an
    /// idle master that woke five times a second spent most of its CPU on the wake-ups.
    /// </summary>
    private static readonly TimeSpan SteadyTickInterval = TimeSpan.FromSeconds(1);

    /// <summary>How late a tick may come and its check still count as due (the checks run once a second).</summary>
    private static readonly TimeSpan TickSlack = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the loop wants its tick now; when this changes, the next tick is one new interval away.</summary>
    /// <remarks>
    /// A steady tick is at most half the observer's pace (systemd's watchdog pings), so that a late tick costs no
    /// ping, and never shorter than the tick of a pool in motion.
    /// </remarks>
    public TimeSpan WantedTickInterval => !IsSteady ? TickInterval
        : _observer?.Pace is { } pace ? TimeSpan.FromTicks(Math.Clamp((pace / 2).Ticks, TickInterval.Ticks, SteadyTickInterval.Ticks))
        : SteadyTickInterval;

    private bool IsSteady => _stop is null && _reload is null && _upgrade is null && _shutdownAt is null
        && _pendingRespawns.Count == 0 && _workers.Count > 0
        && _workers.Values.All(worker => worker.State is WorkerState.Ready);
}
