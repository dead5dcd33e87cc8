namespace Procman.Arbitration;

/// <summary>One row of the arbiter's worker table. Only the arbiter loop reads or writes it.</summary>
internal sealed class Worker(long key, int slot, int generation, IWorkerHandle handle, DateTimeOffset startedAt)
{
    /// <summary>Unique per process started, for the whole run.</summary>
    public long Key { get; } = key;

    /// <summary>The position 1..N this worker fills; a replacement takes over the same slot.</summary>
    public int Slot { get; } = slot;

    /// <summary>Bumped by every reload: workers of an older generation are retired once the new one is ready.</summary>
    public int Generation { get; } = generation;

    public IWorkerHandle Handle { get; } = handle;

    public int Pid => Handle.Pid;

    public WorkerState State { get; set; } = WorkerState.Starting;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? ReadyAt { get; set; }

    public DateTimeOffset LastHeartbeat { get; set; } = startedAt;

    /// <summary>The startup hook found the app's host; false means procman could not attach to this app.</summary>
    public bool Attached { get; set; }

    /// <summary>When a draining or stopping worker is killed if it is still there.</summary>
    public DateTimeOffset? KillAt { get; set; }

    /// <summary>Killed on purpose (hung, boot timeout, failed reload): its exit is not a crash to report again.</summary>
    public string? KilledBecause { get; set; }

    public override string ToString() => $"worker {Slot} (pid {Pid})";
}
