namespace Procman.Protocol;

/// <summary>What the master tells a worker.</summary>
public abstract record MasterMessage : ChannelMessage
{
    /// <summary>
    /// Stop accepting, answer every further request with <c>Connection: close</c>, and stop the host once no
    /// connection is open or <paramref name="Deadline"/> (counted from receipt) has passed.
    /// </summary>
    public sealed record Drain(TimeSpan Deadline) : MasterMessage;

    /// <summary>
    /// The fair share of keep-alive connections per worker. A worker holding more stops accepting and asks the
    /// excess clients, through <c>Connection: close</c>, to reconnect, so that the shared accept queue hands them
    /// to the workers that hold fewer. 0 lifts the limit.
    /// </summary>
    public sealed record Share(int Connections) : MasterMessage;
}
