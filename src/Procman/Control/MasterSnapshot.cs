namespace Procman.Control;

/// <summary>
/// What the master is and does at one instant, taken by the arbiter loop: <c>procman status</c>, /status,
/// /metrics and the <c>Procman</c> meter all read it. Immutable, so it can leave the loop.
/// </summary>
internal sealed record MasterSnapshot
{
    public required int Pid { get; init; }

    /// <summary>starting (no worker was ready yet), running, reloading, shutdown-delay (SIGTERM received, still serving for shutdown_delay) or stopping.</summary>
    public required string State { get; init; }

    /// <summary>The generation of the workers in force: 0 at start, one more for every completed reload.</summary>
    public required int Generation { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double UptimeSeconds { get; init; }

    /// <summary>The number of slots that should have a worker.</summary>
    public required int TargetWorkers { get; init; }

    public required IReadOnlyList<WorkerSnapshot> Workers { get; init; }

    /// <summary>Workers replaced since the start, by reason (<see cref="RestartReason"/>).</summary>
    public required IReadOnlyDictionary<string, long> Restarts { get; init; }

    public required ReloadCounts Reloads { get; init; }

    /// <summary>Workers that became ready since the start, and the sum of their boot times.</summary>
    public required long Boots { get; init; }

    public required double BootSecondsSum { get; init; }

    /// <summary>The workers in this state (one of <see cref="WorkerSnapshot.States"/>).</summary>
    public int CountIn(string state) => Workers.Count(worker => worker.State == state);
}
