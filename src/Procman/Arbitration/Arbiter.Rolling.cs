namespace Procman.Arbitration;

/// <summary>
/// The rolling reload (reload_batch): a few new workers boot at a time, and an old worker retires as each is
/// ready, so that no fewer than the running count serve and no more than that count plus the batch run.
/// </summary>
internal sealed partial class Arbiter
{
    /// <summary>
    /// One step of a rolling reload, taken after every event: retire the old workers that ready new ones made
    /// surplus, then start new ones while the batch and the process bound allow. It reads only the worker table,
    /// so a crash, a retiree's exit or a ready worker all move the roll on the same way.
    /// </summary>
    private void Roll()
    {
        if (_reload is not { Rolling: true } reload || _stop is not null)
        {
            return;
        }
        RetireSurplus(reload);
        StartNextBatch(reload);
    }

    private void RetireSurplus(Reload reload)
    {
        while (true)
        {
            var old = _workers.Values.Where(w => w.Generation != reload.Generation && w.State.IsServing).ToArray();
            var ready = _workers.Values.Where(w => w.Generation == reload.Generation && w.State is WorkerState.Ready).ToArray();
            if (old.Length == 0 || old.Length + ready.Length <= _slots.Count)
            {
                return;
            }
            // Leftovers of a failed reload first, then a worker already on its way out, then the one whose slot a
            // new worker now serves, oldest first.
            var taken = ready.Select(w => w.Slot).ToHashSet();
            var next = old
                .OrderBy(w => w.Generation == _currentGeneration)
                .ThenBy(w => w.State is not WorkerState.Recycling)
                .ThenBy(w => !taken.Contains(w.Slot))
                .ThenBy(w => w.StartedAt)
                .First();
            Retire(next, $"replaced by a new worker (rolling reload, generation {reload.Generation})");
        }
    }

    private void StartNextBatch(Reload reload)
    {
        // Old workers draining count too: the bound is on processes (memory), not only on those serving.
        var bound = Math.Max(_slots.Count, reload.Plan.Options.Workers) + reload.Batch;
        while (_reload == reload && reload.Unstarted.Count > 0 && _workers.Count < bound)
        {
            var booting = _workers.Values.Count(w => w.Generation == reload.Generation && w.State is WorkerState.Starting);
            var coming = _workers.Values.Count(w => w.State.IsServing || w.State is WorkerState.Starting);
            // Beyond the batch only to make up for an old worker that died mid-roll: it is replaced in the new generation.
            if (booting >= reload.Batch && coming >= _slots.Count)
            {
                return;
            }
            // A slot left empty (its old worker died) first: with reuse_port its connections wait in that slot's queue.
            var slot = reload.Unstarted.FirstOrDefault(slot => !_workers.Values.Any(w => w.Slot == slot && w.State.IsLive), reload.Unstarted.Min);
            reload.Unstarted.Remove(slot);
            Spawn(slot, reload.Generation, reload.Plan);
        }
    }

    /// <summary>
    /// A rolling reload failed after some old workers had retired: the new workers that took their places keep
    /// serving (retiring them would leave the slots empty while their successors boot) until
    /// <see cref="ReplaceLeftOver"/> has replaced each with a worker of the running configuration.
    /// </summary>
    private HashSet<Worker> KeepAfterFailedRoll(Reload reload)
    {
        var kept = _workers.Values
            .Where(w => w.Generation == reload.Generation && w.State is WorkerState.Ready)
            .OrderBy(w => w.ReadyAt)
            .Take(UncoveredSlots().Length)
            .ToHashSet();
        if (kept.Count > 0)
        {
            LogRollKept(kept.Count);
        }
        return kept;
    }

    /// <summary>The slots with no worker of the current generation, starting or serving, and none due to be started.</summary>
    private int[] UncoveredSlots() => _slots
        .Where(slot => !_pendingRespawns.ContainsKey(slot) && !_workers.Values.Any(w => w.Slot == slot && w.Generation == _currentGeneration && w.State.IsLive))
        .ToArray();

    /// <summary>Ready workers of a failed reload, each holding the place of an uncovered slot.</summary>
    private IEnumerable<Worker> LeftOver() => _workers.Values
        .Where(w => w.Generation != _currentGeneration && w.Generation != _reload?.Generation && w.State is WorkerState.Ready);

    /// <summary>Starts a worker for every uncovered slot that no left-over worker holds the place of.</summary>
    private void FillSlotsLeftUncovered()
    {
        foreach (var slot in UncoveredSlots().Skip(LeftOver().Count()))
        {
            ScheduleRespawn(slot, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Replaces one left-over worker of a failed rolling reload, overlapped as a recycle: a worker of the current
    /// generation boots for an uncovered slot, and the left-over one retires once it is ready.
    /// </summary>
    /// <returns>Whether there was a left-over worker to see to (no recycle starts meanwhile).</returns>
    private bool ReplaceLeftOver(DateTimeOffset now)
    {
        var leftOver = LeftOver()
            .Where(w => w.State is WorkerState.Ready { RecycleNotBefore: var notBefore } && (notBefore is null || notBefore <= now))
            .OrderBy(w => w.ReadyAt)
            .FirstOrDefault();
        if (leftOver is null)
        {
            return false;
        }
        const string Reason = "left serving by a failed reload";
        if (UncoveredSlots() is not [var slot, ..])
        {
            if (_workers.Values.Count(w => w.Generation == _currentGeneration && w.State.IsServing) >= _slots.Count)
            {
                Retire(leftOver, $"{Reason}; the running configuration's workers serve in its place");
            }
            return true;
        }
        LogRecycling(leftOver.Slot, leftOver.Pid, Reason);
        if (Spawn(slot, _currentGeneration, _plans.Current) is { } replacement)
        {
            Transition(replacement, new WorkerState.Starting(Replacing: leftOver), $"replaces {leftOver}");
            Transition(leftOver, new WorkerState.Recycling(Reason, replacement), Reason);
        }
        else
        {
            Transition(leftOver, new WorkerState.Ready(now + RecyclePolicy.RetryAfterFailure), "its replacement could not be started");
        }
        return true;
    }
}
