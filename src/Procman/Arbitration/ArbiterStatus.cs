namespace Procman.Arbitration;

/// <summary>A snapshot of the arbiter's state, for observers outside the loop.</summary>
/// <param name="Ready">Ready workers of the current generation.</param>
/// <param name="Target">Workers the current generation should have.</param>
/// <param name="Healthy">Ready workers that sent a heartbeat recently.</param>
/// <param name="ReloadRequests">Reloads asked for so far (by SIGHUP or otherwise), whether started, queued or refused.</param>
/// <param name="ReloadReady">For a reload in progress: its ready workers, of <paramref name="ReloadTarget"/>.</param>
/// <param name="Workers">Worker processes alive, in any state.</param>
/// <param name="Deadline">
/// While booting, reloading or stopping: the time by which procman's own bounds (boot_timeout, graceful_timeout)
/// end the phase one way or another.
/// </param>
internal sealed record ArbiterStatus(
    ArbiterPhase Phase,
    int Ready,
    int Target,
    int Generation,
    int Healthy,
    int ReloadRequests,
    int? ReloadGeneration,
    int ReloadReady,
    int ReloadTarget,
    int Workers,
    DateTimeOffset? Deadline);
