namespace Procman.Arbitration;

/// <summary>
/// Starting a new master on SIGUSR2 and handing it the sockets; faked in unit tests. The new master's readiness
/// and its exit are posted to the arbiter as <see cref="ArbiterEvent.NewMasterReady"/> and
/// <see cref="ArbiterEvent.NewMasterExited"/>.
/// </summary>
internal interface IMasterUpgrade
{
    /// <summary>Why this master cannot be replaced in place (it is PID 1), or null.</summary>
    string? Obstacle { get; }

    /// <summary>Moves the pidfile aside to PIDFILE.oldbin and starts the new master with the listening sockets.</summary>
    /// <returns>The new master's pid.</returns>
    /// <exception cref="IOException">It could not be started; nothing is left changed.</exception>
    int Start();

    /// <summary>The new master is ready: let go of the control socket and the admin endpoint, and tell it to serve them.</summary>
    void HandOver();

    /// <summary>The new master failed: make the pidfile name this master again, and ask the new one to stop (SIGTERM).</summary>
    void Abandon();

    /// <summary>The new master did not stop when asked: SIGKILL.</summary>
    void Kill();
}
