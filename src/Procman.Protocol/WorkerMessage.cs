namespace Procman.Protocol;

/// <summary>What a worker tells the master.</summary>
public abstract record WorkerMessage : ChannelMessage
{
    /// <summary>The startup hook has attached to the app's host (sent once).</summary>
    public sealed record Attached : WorkerMessage;

    /// <summary>Kestrel is listening on the shared sockets (sent once).</summary>
    public sealed record Ready : WorkerMessage;

    /// <summary>
    /// Sent from the thread pool, so a starved pool misses it.
    /// </summary>
    /// <param name="Requests">Requests served so far, for max_requests.</param>
    /// <param name="KeepAliveConnections">Open connections that have carried more than one request, for balance.</param>
    public sealed record Heartbeat(long Requests, int KeepAliveConnections) : WorkerMessage;

    /// <summary>The worker stopped accepting and is closing its connections.</summary>
    public sealed record Draining : WorkerMessage;
}
