namespace Procman.Control;

/// <summary>
/// One worker in a <see cref="MasterSnapshot"/>. A value the worker has not reported (yet) is null, never a
/// made-up 0: the heartbeat carries more of them as workers learn to tell.
/// </summary>
internal sealed record WorkerSnapshot
{
    public required int Slot { get; init; }

    public required int Pid { get; init; }

    public required int Generation { get; init; }

    /// <summary>The values of <see cref="State"/>: ready includes a worker still serving while its replacement starts.</summary>
    public static readonly IReadOnlyList<string> States = ["starting", "ready", "draining", "killing", "stopping"];

    /// <summary>One of <see cref="States"/>.</summary>
    public required string State { get; init; }

    public required double UptimeSeconds { get; init; }

    /// <summary>From start to ready; null while starting.</summary>
    public double? BootSeconds { get; init; }

    public required long Requests { get; init; }

    /// <summary>Over the last few heartbeats; null until two have arrived.</summary>
    public double? RequestsPerSecond { get; init; }

    public int? InFlight { get; init; }

    public required int KeepAliveConnections { get; init; }

    /// <summary>Resident and proportional set size (/proc/PID/smaps_rollup): PSS shares the framework's pages fairly.</summary>
    public long? RssBytes { get; init; }

    public long? PssBytes { get; init; }

    public long? GcHeapBytes { get; init; }

    public int? ThreadPoolThreads { get; init; }

    public long? ThreadPoolQueue { get; init; }

    /// <summary>How late the worker's thread pool ran the last heartbeat probe.</summary>
    public double? ProbeDelaySeconds { get; init; }

    /// <summary>Workers of this slot replaced since the start (crash, hung, recycle, reload...).</summary>
    public required int Restarts { get; init; }

    /// <summary>How the previous worker of this slot ended, or null if none did.</summary>
    public string? LastExit { get; init; }
}
