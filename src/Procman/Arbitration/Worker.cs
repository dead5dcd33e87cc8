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

    /// <summary>Requests served, as last reported with a heartbeat.</summary>
    public long Requests { get; set; }

    /// <summary>Open keep-alive connections (more than one request so far), as last reported with a heartbeat.</summary>
    public int OpenConnections { get; set; }

    public WorkerLimits Limits { get; init; }

    /// <summary>The last resident set size sampled, and how many samples in a row were over max_worker_memory.</summary>
    public long ResidentBytes { get; set; }

    public int MemoryStrikes { get; set; }

    /// <summary>Why this worker is being recycled, while its replacement starts and while it drains.</summary>
    public string? RecycleReason { get; set; }

    /// <summary>After a failed recycle, no new one before this.</summary>
    public DateTimeOffset? RecycleNotBefore { get; set; }

    /// <summary>For a worker started to replace a recycled one: that worker, until this one is ready.</summary>
    public Worker? ReplacementOf { get; set; }

    /// <summary>Killed on purpose (hung, boot timeout, failed reload): its exit is not a crash to report again.</summary>
    public string? KilledBecause { get; set; }

    public override string ToString() => $"worker {Slot} (pid {Pid})";
}
