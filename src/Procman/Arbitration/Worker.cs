using Procman.Protocol;

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

    public WorkerState State { get; private set; } = new WorkerState.Starting();

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? ReadyAt { get; set; }

    public DateTimeOffset LastHeartbeat { get; set; } = startedAt;

    /// <summary>The startup hook found the app's host; false means procman could not attach to this app.</summary>
    public bool Attached { get; set; }

    /// <summary>The worker's last heartbeat report: its probe delay, pool, requests and GC; null before the first.</summary>
    public WorkerMessage.Heartbeat? Health { get; set; }

    /// <summary>Requests served, as last reported with a heartbeat.</summary>
    public long Requests => Health?.Requests ?? 0;

    /// <summary>Open keep-alive connections (more than one request so far), as last reported with a heartbeat.</summary>
    public int OpenConnections => Health?.KeepAliveConnections ?? 0;

    /// <summary>The fair share of keep-alive connections last sent to it; 0 (no limit) is what a worker starts with.</summary>
    public int Share { get; set; }

    /// <summary>The recent heartbeats' pool numbers, for the liveness rule.</summary>
    public PoolHistory Pool { get; } = new();

    /// <summary>The worker said it reached its max_requests: the count and its limit.</summary>
    public (long Served, long Limit)? MaxRequestsReached { get; set; }

    public WorkerLimits Limits { get; init; }

    /// <summary>The last resident set size sampled, and how many samples in a row were over max_worker_memory.</summary>
    public long ResidentBytes { get; set; }

    public int MemoryStrikes { get; set; }

    /// <summary>procman recycle asked for this worker to be replaced, as soon as the recycles before it are done.</summary>
    public bool RecycleAsked { get; set; }

    /// <summary>The replacement of a recycle this worker is, while it starts (or is killed while starting).</summary>
    public Worker? Replacing => State switch
    {
        WorkerState.Starting starting => starting.Replacing,
        WorkerState.Killing killing => killing.Replacing,
        _ => null,
    };

    /// <summary>Moves to <paramref name="next"/> and returns the state left; an illegal move is a bug in the arbiter.</summary>
    public WorkerState Enter(WorkerState next)
    {
        var previous = State;
        if (!previous.CanMoveTo(next))
        {
            throw new InvalidOperationException($"{this}: no transition from {previous.Name} to {next.Name}");
        }
        State = next;
        return previous;
    }

    public override string ToString() => $"worker {Slot} (pid {Pid})";
}
