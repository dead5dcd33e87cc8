namespace Procman.Arbitration;

/// <summary>
/// Told the arbiter's state after every event it handled (timer ticks included, so at least five times a
/// second). Called on the arbiter loop: an observer must be quick and must not throw.
/// </summary>
/// <remarks>
/// Service managers (systemd's notify protocol, a readiness endpoint) read procman's state through this one
/// seam instead of hooks spread through the arbiter's decisions.
/// </remarks>
internal interface IArbiterObserver
{
    void OnChanged(ArbiterStatus status);
}
