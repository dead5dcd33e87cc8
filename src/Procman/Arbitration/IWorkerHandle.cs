namespace Procman.Arbitration;

/// <summary>
/// The arbiter's grip on one running worker process, in intentions; how each is carried out (a channel
/// message, a signal) is the handle's business. Faked in unit tests.
/// </summary>
internal interface IWorkerHandle : IDisposable
{
    int Pid { get; }

    /// <summary>
    /// Stop accepting, finish the open connections, and exit within <paramref name="deadline"/>. A worker whose
    /// channel is already gone is terminated instead.
    /// </summary>
    void Drain(TimeSpan deadline);

    /// <summary>Tells the worker the fair share of keep-alive connections per worker; 0 lifts the limit.</summary>
    void Share(int connections);

    /// <summary>Asks the worker to stop its host now (SIGTERM).</summary>
    void Terminate();

    /// <summary>Ends the process at once (SIGKILL).</summary>
    void Kill();

    /// <summary>Asks the worker to reopen its log files (SIGUSR1).</summary>
    void ReopenLogs();

    /// <summary>The worker is ready: it leaves the lower CPU priority it booted at (boot_nice), if any.</summary>
    /// <returns>False when it could not: the kernel refused to raise its priority again.</returns>
    bool RestorePriority();
}
