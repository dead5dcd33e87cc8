using System.Globalization;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    // How long reading a hung worker's stacks (and writing its dump) may take before it is killed regardless.
    // Measured here (docs/health.md): 2.5 s for a starved worker with 20 threads, 5.7 s with the machine's
    // load average at 40; a hung worker never serves past timeout + this.
    public static readonly TimeSpan DiagnosisBound = TimeSpan.FromSeconds(10);

    // How often workers learn their fair share of connections: each heartbeat carries their count.
    private static readonly TimeSpan ShareInterval = TimeSpan.FromSeconds(1);

    private void OnTick()
    {
        var now = _time.GetUtcNow();
        EndShutdownDelayIfDue(now);
        CheckUpgrade(now);
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
                if (worker.State is WorkerState.Killing)
                {
                    LogDiagnosisTimedOut(worker.Slot, worker.Pid, DiagnosisBound.TotalSeconds);
                }
                else
                {
                    LogKillingAfterDeadline(worker.Slot, worker.Pid, worker.State.Name);
                }
                Transition(worker, WithoutDeadline(worker.State), "deadline passed");
                worker.Handle.Kill();
            }
            else if (worker.State is WorkerState.Starting && now - worker.StartedAt >= Options.BootTimeout)
            {
                Kill(worker, $"not ready within boot_timeout ({Options.BootTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
            }
            else if (worker.State.IsServing && Options.Timeout > TimeSpan.Zero
                && LivenessRule.Check(worker, now, Options.Timeout, () => _metrics.State(worker.Pid)) is { } hang)
            {
                OnHung(worker, hang, now);
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
    /// limit) while the total is moving, once, when a limit is lifted.
    /// </summary>
    /// <remarks>
    /// The counts are up to a second old. When a burst of clients arrives, a share computed from the counts
    /// before it is far below what every worker holds now: all of them would shed and pause at once. So a
    /// share is only given once the total has held steady for one interval, and never for a handful of
    /// connections.
    /// </remarks>
    private void ShareConnections(DateTimeOffset now)
    {
        if (!Options.Balance || now - _lastShare < ShareInterval - TickSlack)
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
            // A share is sent again every interval, as the worker measures its excess against it when it arrives;
            // no limit, once said, stays said: an idle pool's workers were otherwise told it every second.
            if (share > 0 || worker.Share > 0)
            {
                worker.Share = share;
                worker.Handle.Share(share);
            }
        }
    }

    /// <summary>
    /// A worker is hung (see <see cref="LivenessRule"/>). Say why, read its stacks so that the log shows what it
    /// was doing (and keep its dump when dump_dir is set), then kill it; it is replaced as a crash. The reading is
    /// bounded: at the Killing state's deadline the worker is killed whether or not its stacks came.
    /// </summary>
    private void OnHung(Worker worker, Hang hang, DateTimeOffset now)
    {
        var reason = $"hung: {hang}";
        if (_diagnostics is null)
        {
            LogWorkerHung(worker.Slot, worker.Pid, hang.KindName, hang.Details, 0);
            Kill(worker, reason);
            return;
        }
        LogWorkerHung(worker.Slot, worker.Pid, hang.KindName, hang.Details, DiagnosisBound.TotalSeconds);
        Kill(worker, reason, diagnosisDeadline: now + DiagnosisBound);
        var directory = Options.DumpDirectory;
        if (directory is not null)
        {
            LogWritingDump(worker.Slot, worker.Pid, reason, directory);
        }
        var key = worker.Key;
        var (slot, pid) = (worker.Slot, worker.Pid);
        var diagnostics = _diagnostics;
        _ = Task.Run(async () =>
        {
            using var bound = new CancellationTokenSource(DiagnosisBound);
            var diagnosis = await diagnostics.DiagnoseAsync(pid, slot, reason, directory, bound.Token).ConfigureAwait(false);
            _events.Writer.TryWrite(new ArbiterEvent.Diagnosed(key, diagnosis));
        });
    }

    private void OnDiagnosed(Worker worker, WorkerDiagnosis diagnosis)
    {
        if (worker.State is not WorkerState.Killing { Deadline: not null } killing)
        {
            // Killed already, at the end of the bound.
            return;
        }
        if (diagnosis.Stacks is { } stacks)
        {
            LogWorkerStacks(worker.Slot, worker.Pid, stacks);
        }
        else
        {
            LogNoStacks(worker.Slot, worker.Pid, diagnosis.Error ?? "unknown error");
        }
        if (diagnosis.DumpPath is { } path)
        {
            LogDumpWritten(worker.Slot, worker.Pid, path);
        }
        else if (Options.DumpDirectory is not null)
        {
            LogDumpFailed(worker.Slot, worker.Pid, diagnosis.Error ?? "unknown error");
        }
        Transition(worker, killing with { Deadline = null }, "stacks read");
        LogKillingWorker(worker.Slot, worker.Pid, killing.Reason);
        worker.Handle.Kill();
    }

    private void SampleMemory(DateTimeOffset now)
    {
        if (Options.MaxWorkerMemory is not { } limit || now - _lastMemorySample < RecyclePolicy.MemorySampleInterval - TickSlack)
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
        if (ReplaceLeftOver(now))
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
