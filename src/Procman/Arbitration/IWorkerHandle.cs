namespace Procman.Arbitration;

/// <summary>The arbiter's grip on one running worker process; faked in unit tests.</summary>
internal interface IWorkerHandle : IDisposable
{
    int Pid { get; }

    /// <summary>Writes one message to the worker's channel; false when the channel is already closed.</summary>
    bool Send(string verb, string? argument = null);

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    bool Signal(int signal);
}
