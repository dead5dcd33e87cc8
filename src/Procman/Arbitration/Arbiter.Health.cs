using System.Globalization;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    // How long capturing a hung worker's dump may take before the worker is killed regardless.
    private static readonly TimeSpan DumpBound = TimeSpan.FromSeconds(30);

    // How often workers learn their fair share of connections: each heartbeat carries their count.
    private static readonly TimeSpan ShareInterval = TimeSpan.FromSeconds(1);

    private void OnTick()
    {
        var now = _time.GetUtcNow();
        EndShutdownDelayIfDue(now);
        foreach (var (slot, due) in _pendingRespawns.Where(pair => pair.Value <= now).ToArray())
        {
            _pendingRespawns.Remove(slot);
            if (_stop is null)
            {
                ScheduleRespawn(slot, TimeSpan.Zero);
            }
        }

        foreach (var worker in _workers.Values.ToArray())
        {
            if (worker.State.KillAt is { } killAt && now >= killAt)
            {
                LogKillingAfterDeadline(worker.Slot, worker.Pid, worker.State.Name);
                Transition(worker, WithoutDeadline(worker.State), "deadline passed");
                worker.Handle.Kill();
            }
            else if (worker.State is WorkerState.Starting && now - worker.StartedAt >= Options.BootTimeout)
            {
                Kill(worker, $"not ready within boot_timeout ({Options.BootTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
            }
            else if (worker.State.IsServing && Options.Timeout > TimeSpan.Zero && now - worker.LastHeartbeat >= Options.Timeout)
            {
                OnHung(worker, now);
            }
        }

        if (_stop is null && _reload is null)
        {
            SampleMemory(now);
            RecycleNextDue(now);
            ShareConnections(now);
        }
    }

    /// <summary>The same state, its deadline spent: the kill has been sent.</summary>
    private static WorkerState WithoutDeadline(WorkerState state) => state switch
    {
        WorkerState.Draining draining => draining with { Deadline = null },
        WorkerState.Killing killing => killing with { Deadline = null },
        WorkerState.Stopping stopping => stopping with { Deadline = null },
        _ => state,
    };

    /// <summary>
    /// Tells every ready worker the fair share of the keep-alive connections the workers hold, or 0 (no
    /// limit) while the total is moving.
    /// </summary>
    /// <remarks>
    /// The counts are up to a second old. When a burst of clients arrives, a share computed from the counts
    /// before it is far below what every worker holds now: all of them would shed and pause at once. So a
    /// share is only given once the total has held steady for one interval, and never for a handful of
    /// connections.
    /// </remarks>
    private void ShareConnections(DateTimeOffset now)
    {
        if (!Options.Balance || now - _lastShare < ShareInterval)
        {
            return;
        }
        _lastShare = now;
        var ready = _workers.Values.Where(w => w.State.IsServing && w.Generation == _currentGeneration).ToArray();
        if (ready.Length < 2)
        {
            return;
        }
        var total = ready.Sum(w => w.OpenConnections);
        var steady = _lastShareTotal is int previous && Math.Abs(total - previous) <= Math.Max(2, previous / 10);
        _lastShareTotal = total;
        var share = steady && total >= 2 * ready.Length ? (total + ready.Length - 1) / ready.Length : 0;
        foreach (var worker in ready)
        {
            worker.Handle.Share(share);
        }
    }

    /// <summary>
    /// A worker sent no heartbeat for the timeout: its thread pool is starved or it is stuck. Capture what
    /// an operator needs to find out why (when dump_dir is set), then kill it; it is replaced as a crash.
    /// </summary>
    private void OnHung(Worker worker, DateTimeOffset now)
    {
        var reason = $"hung: no heartbeat for {(now - worker.LastHeartbeat).TotalSeconds:0.#} s (timeout {Options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)";
        if (_dumps is null || Options.DumpDirectory is not { } directory)
        {
            Kill(worker, reason);
            return;
        }
        Kill(worker, reason, dumpDeadline: now + DumpBound);
        LogWritingDump(worker.Slot, worker.Pid, reason, directory);
        var key = worker.Key;
        var (slot, pid) = (worker.Slot, worker.Pid);
        _ = Task.Run(async () =>
        {
            using var bound = new CancellationTokenSource(DumpBound);
            try
            {
                var path = await _dumps.WriteAsync(pid, slot, directory, reason, bound.Token).ConfigureAwait(false);
                _events.Writer.TryWrite(new ArbiterEvent.DumpWritten(key, path, null));
            }
            catch (Exception ex)
            {
                _events.Writer.TryWrite(new ArbiterEvent.DumpWritten(key, null, ex.Message));
            }
        });
    }

    private void OnDumpWritten(Worker worker, string? path, string? error)
    {
        if (path is not null)
        {
            LogDumpWritten(worker.Slot, worker.Pid, path);
        }
        else
        {
            LogDumpFailed(worker.Slot, worker.Pid, error ?? "unknown error");
        }
        if (worker.State is WorkerState.Killing killing)
        {
            Transition(worker, killing with { Deadline = null }, "dump done");
            LogKillingWorker(worker.Slot, worker.Pid, killing.Reason);
        }
        worker.Handle.Kill();
    }

    private void SampleMemory(DateTimeOffset now)
    {
        if (Options.MaxWorkerMemory is not { } limit || now - _lastMemorySample < RecyclePolicy.MemorySampleInterval)
        {
            return;
        }
        _lastMemorySample = now;
        foreach (var worker in _workers.Values.Where(w => w.State.IsServing))
        {
            RecyclePolicy.OnMemorySample(worker, _metrics.ResidentBytes(worker.Pid), limit);
        }
    }

    /// <summary>
    /// Starts the recycle of the worker most overdue, if any, and only when no other recycle is under way:
    /// recycles are staggered, so at most one slot at a time runs on a replacement that is still starting.
    /// </summary>
    private void RecycleNextDue(DateTimeOffset now)
    {
        if (_workers.Values.Any(w => w.State is WorkerState.Recycling or WorkerState.Draining { Recycled: true } || w.Replacing is not null))
        {
            return;
        }
        var due = _workers.Values
            .Where(w => w.Generation == _currentGeneration && w.State is WorkerState.Ready ready && (ready.RecycleNotBefore is null || ready.RecycleNotBefore <= now))
            .OrderBy(w => w.StartedAt)
            .Select(w => (Worker: w, Reason: RecyclePolicy.DueReason(w, Options, now)))
            .FirstOrDefault(candidate => candidate.Reason is not null);
        if (due.Worker is null)
        {
            return;
        }

        // Overlapped: the replacement starts now and the worker retires only once it is ready, so the
        // number of ready workers never drops below the target.
        LogRecycling(due.Worker.Slot, due.Worker.Pid, due.Reason!);
        if (Spawn(due.Worker.Slot, _currentGeneration, _plans.Current) is { } replacement)
        {
            Transition(replacement, new WorkerState.Starting(Replacing: due.Worker), $"replaces {due.Worker}");
            Transition(due.Worker, new WorkerState.Recycling(due.Reason!, replacement), due.Reason!);
        }
        else
        {
            Transition(due.Worker, new WorkerState.Ready(now + RecyclePolicy.RetryAfterFailure), "its replacement could not be started");
        }
    }
}
