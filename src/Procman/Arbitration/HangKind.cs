namespace Procman.Arbitration;

/// <summary>Why a worker counts as hung.</summary>
internal enum HangKind
{
    /// <summary>Heartbeats arrive, but ordinary work queued in its thread pool waited longer than the timeout.</summary>
    ThreadPoolStarved,

    /// <summary>No heartbeat for the timeout, and the process is not running (stopped, or stuck in the kernel).</summary>
    NotRunning,

    /// <summary>No heartbeat for the timeout, although the process is running.</summary>
    NoHeartbeat,
}
