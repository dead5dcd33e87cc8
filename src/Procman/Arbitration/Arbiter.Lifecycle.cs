using Procman.Signals;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    private void OnSignal(MasterSignal signal)
    {
        switch (signal)
        {
            case MasterSignal.Term when _stop is null && _shutdownAt is null && Options.ShutdownDelay > TimeSpan.Zero:
                BeginShutdownDelay();
                break;
            case MasterSignal.Term:
                LogSignal(signal.Display(), "graceful stop");
                BeginStop(quick: false, ExitCodes.Success, error: null);
                break;
            case MasterSignal.Int or MasterSignal.Quit:
                LogSignal(signal.Display(), "quick stop");
                BeginStop(quick: true, ExitCodes.Success, error: null);
                break;
            case MasterSignal.Hup:
                LogSignal(signal.Display(), "reload");
                RequestReload();
                break;
            case MasterSignal.Ttin:
                LogSignal(signal.Display(), "add a worker");
                AddWorker();
                break;
            case MasterSignal.Ttou:
                LogSignal(signal.Display(), "remove a worker");
                RemoveWorker("SIGTTOU");
                break;
            case MasterSignal.Usr1:
                LogSignal(signal.Display(), "reopen log files");
                _reopenLogs();
                foreach (var worker in _workers.Values)
                {
                    worker.Handle.ReopenLogs();
                }
                break;
            case MasterSignal.Usr2 when _upgrader is not null:
                LogSignal(signal.Display(), "upgrade: start a new master");
                BeginUpgrade();
                break;
            default:
                // SIGWINCH stops workers in Gunicorn only when it runs as a daemon; procman never daemonizes.
                LogSignalIgnored(signal.Display());
                break;
        }
    }

    private void BeginStop(bool quick, int exitCode, string? error)
    {
        if (_stop is not null)
        {
            if (quick && !_stop.Quick)
            {
                // A second, harder signal during a graceful stop shortens it.
                _stop = _stop with { Quick = true };
                TerminateAll(QuickStopBound);
            }
            return;
        }
        _stop = new Stop(quick, exitCode, error);
        _shutdownAt = null;
        AbandonUpgradeForStop();
        SettleReloadWaiters(int.MaxValue, Procman.Control.ControlResponse.Refused("procman is stopping"));
        _pendingRespawns.Clear();
        if (_reload is not null)
        {
            _plans.Abandon(_reload.Plan);
            _reload = null;
        }
        var bound = quick ? QuickStopBound : Options.GracefulTimeout;
        LogStopping(quick ? "quick" : "graceful", _workers.Count, bound.TotalSeconds);
        if (quick)
        {
            TerminateAll(bound);
        }
        else
        {
            TerminateAll(bound + KillMargin, drainWithin: bound);
        }
    }

    /// <summary>
    /// Tells every worker to stop, to be killed if still there after <paramref name="killAfter"/>; a nearer deadline
    /// stands. With <paramref name="drainWithin"/> (a graceful stop) the workers drain as in a reload: a plain
    /// SIGTERM makes Kestrel close idle keep-alive connections under clients about to use them, while a drain
    /// lets each finish its request and closes it after the response. Under socket activation the connections
    /// arriving meanwhile wait in the kernel's queue for the next procman, so a restart refuses nothing.
    /// </summary>
    private void TerminateAll(TimeSpan killAfter, TimeSpan? drainWithin = null)
    {
        var killAt = _time.GetUtcNow() + killAfter;
        foreach (var worker in _workers.Values.ToArray())
        {
            var deadline = worker.State.KillAt is { } current && current < killAt ? current : killAt;
            switch (worker.State)
            {
                case WorkerState.Draining draining:
                    Transition(worker, draining with { Deadline = deadline }, "procman is stopping");
                    if (drainWithin is not null)
                    {
                        // Already draining: it exits once its connections are done.
                        continue;
                    }
                    break;
                case WorkerState.Killing killing when killing.Deadline is not null:
                    Transition(worker, killing with { Deadline = deadline }, "procman is stopping");
                    break;
                case WorkerState.Killing:
                    // Already sent SIGKILL.
                    continue;
                default:
                    Transition(worker, new WorkerState.Stopping(deadline), "procman is stopping");
                    if (drainWithin is { } drain)
                    {
                        worker.Handle.Drain(drain);
                        continue;
                    }
                    break;
            }
            worker.Handle.Terminate();
        }
    }

    /// <summary>A reload asked for from outside; counted, so that an observer sees even one that is refused.</summary>
    private void RequestReload()
    {
        if (_stop is null)
        {
            _reloadRequests++;
        }
        BeginReload();
    }

    private void BeginReload()
    {
        if (_stop is not null)
        {
            return;
        }
        if (_reload is not null)
        {
            _reload.Again = true;
            LogReloadQueued();
            return;
        }
        if (UpgradeBlocksReload() is { } upgrading)
        {
            LogReloadRefusedForUpgrade(upgrading);
            OnReloadRefused(upgrading);
            return;
        }
        var plan = _plans.Prepare(out var error);
        if (plan is null)
        {
            LogConfigurationInvalid(error ?? "unknown error");
            OnReloadRefused(error ?? "unknown error");
            return;
        }
        var reload = new Reload(++_lastGeneration, _time.GetUtcNow(), plan);
        _reload = reload;
        if (reload.Rolling)
        {
            LogRollingReloadStarting(reload.Generation, plan.Options.Workers, reload.Batch);
            Roll();
            return;
        }
        LogReloadStarting(reload.Generation, plan.Options.Workers);
        // The configuration decides the count again: a count changed by SIGTTIN/SIGTTOU lasts until the next reload.
        for (var slot = 1; slot <= plan.Options.Workers && _reload == reload; slot++)
        {
            Spawn(slot, reload.Generation, plan);
        }
    }

    private void CompleteReloadIfReady()
    {
        var reload = _reload!;
        var fresh = _workers.Values.Where(w => w.Generation == reload.Generation).ToArray();
        if (fresh.Length < reload.Plan.Options.Workers || fresh.Any(w => w.State is not WorkerState.Ready))
        {
            return;
        }

        // Every new worker is listening: only now do the old ones stop accepting, so capacity never dips.
        _currentGeneration = reload.Generation;
        _reload = null;
        _plans.Commit(reload.Plan);
        ResetSlots(reload.Plan.Options.Workers);
        _pendingRespawns.Clear();
        var retiring = _workers.Values.Where(w => w.Generation != _currentGeneration && w.State.IsLive).ToArray();
        var seconds = (_time.GetUtcNow() - reload.StartedAt).TotalSeconds;
        LogReloadComplete(reload.Generation, fresh.Length, retiring.Length, seconds);
        OnReloadSettled(reload.Generation, seconds, error: null);
        foreach (var worker in retiring)
        {
            Retire(worker, "replaced by reload");
        }
        if (reload.Again)
        {
            BeginReload();
        }
    }

    private void AbortReload(string reason)
    {
        var reload = _reload!;
        _reload = null;
        _plans.Abandon(reload.Plan);
        var serving = _workers.Values.Count(w => w.Generation == _currentGeneration && w.State.IsServing);
        LogReloadFailed(reason, serving);
        OnReloadSettled(reload.Generation, seconds: null, reason);
        var kept = reload.Rolling ? KeepAfterFailedRoll(reload) : [];
        foreach (var worker in _workers.Values.Where(w => w.Generation == reload.Generation && !kept.Contains(w)).ToArray())
        {
            if (worker.State.IsServing)
            {
                Retire(worker, "reload failed");
            }
            else if (worker.State is WorkerState.Starting)
            {
                Kill(worker, "reload failed");
            }
        }
        FillSlotsLeftUncovered();
        if (reload.Again)
        {
            BeginReload();
        }
    }

    private void AddWorker()
    {
        if (_stop is not null || _reload is not null)
        {
            LogScaleRefused("a reload or a stop is in progress");
            return;
        }
        var slot = 1;
        while (_slots.Contains(slot))
        {
            slot++;
        }
        _slots.Add(slot);
        LogScaled(_slots.Count);
        Spawn(slot, _currentGeneration, _plans.Current);
    }

    private void RemoveWorker(string by)
    {
        if (_stop is not null || _reload is not null)
        {
            LogScaleRefused("a reload or a stop is in progress");
            return;
        }
        if (_slots.Count <= 1)
        {
            LogScaleRefused("procman keeps at least one worker");
            return;
        }
        // Gunicorn's choice: the oldest worker goes, and its slot with it.
        var oldest = _workers.Values
            .Where(w => w.Generation == _currentGeneration && w.State.IsLive && w.Replacing is null)
            .OrderBy(w => w.StartedAt)
            .FirstOrDefault();
        var slot = oldest?.Slot ?? _slots.Max;
        _slots.Remove(slot);
        _pendingRespawns.Remove(slot);
        _plans.Release(slot);
        LogScaled(_slots.Count);
        foreach (var worker in _workers.Values.Where(w => w.Slot == slot && w.Generation == _currentGeneration).ToArray())
        {
            if (worker.State.IsServing)
            {
                Retire(worker, $"removed by {by}");
            }
            else if (worker.State is WorkerState.Starting)
            {
                Kill(worker, $"removed by {by}");
            }
        }
    }
}
