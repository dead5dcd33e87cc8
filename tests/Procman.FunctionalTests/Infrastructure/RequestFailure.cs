namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// One failed request: how it failed, when (UTC), on which kind of connection, and the pid of the worker that
/// served the connection when an earlier response on it told (null for a fresh connection).
/// </summary>
internal sealed record RequestFailure(bool KeepAlive, FailureCause Cause, DateTime Start, DateTime End, int? Pid, string Detail)
{
    /// <summary>What a SIGKILLed peer looks like to a client: the connection breaks.</summary>
    public bool LooksLikeAKilledPeer => Cause is FailureCause.ConnectionReset or FailureCause.WriteError
        or FailureCause.ClosedWithoutResponse or FailureCause.ClosedMidResponse;

    public override string ToString()
        => $"{(KeepAlive ? "keep-alive" : "connection-per-request")} {Cause} pid {Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} {Start:HH:mm:ss.fff}-{End:HH:mm:ss.fff} {Detail}";
}
