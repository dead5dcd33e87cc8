namespace Procman.Arbitration;

/// <summary>What the master as a whole is doing, as a service manager sees it.</summary>
internal enum ArbiterPhase
{
    /// <summary>The first workers are starting; none has been ready yet.</summary>
    Booting,

    /// <summary>Serving with the current generation of workers.</summary>
    Serving,

    /// <summary>Serving while a new generation of workers starts.</summary>
    Reloading,

    /// <summary>
    /// SIGTERM arrived and shutdown_delay runs: still serving and accepting, but no longer to be sent new traffic (a
    /// readiness probe reports not ready); the graceful stop follows.
    /// </summary>
    ShutdownDelay,

    /// <summary>
    /// A new master (SIGUSR2) has taken over: this one drains its workers and exits. A service manager hears
    /// nothing more from it: the new master speaks for the service now.
    /// </summary>
    HandedOver,

    /// <summary>Stopping: the workers are draining or being stopped, and procman exits when they are gone.</summary>
    Stopping,
}
