using Procman.Native;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    private void OnSignal(int signal)
    {
        switch (signal)
        {
            case Signal.Term:
                LogSignal(Signal.Name(signal), "graceful stop");
                BeginStop(quick: false, ExitCodes.Success, error: null);
                break;
            case Signal.Int or Signal.Quit:
                LogSignal(Signal.Name(signal), "quick stop");
                BeginStop(quick: true, ExitCodes.Success, error: null);
                break;
            case Signal.Hup:
                LogSignal(Signal.Name(signal), "reload");
                BeginReload();
                break;
            default:
                LogSignalIgnored(Signal.Name(signal));
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
                SignalAll(Signal.Term, QuickStopBound);
            }
            return;
        }
        _stop = new Stop(quick, exitCode, error);
        _pendingRespawns.Clear();
        _reload = null;
        var bound = quick ? QuickStopBound : _options.GracefulTimeout;
        LogStopping(quick ? "quick" : "graceful", _workers.Count, bound.TotalSeconds);
        SignalAll(Signal.Term, bound);
    }

    private void SignalAll(int signal, TimeSpan killAfter)
    {
        var killAt = _time.GetUtcNow() + killAfter;
        foreach (var worker in _workers.Values)
        {
            if (worker.KillAt is null || worker.KillAt > killAt)
            {
                worker.KillAt = killAt;
            }
            worker.Handle.Signal(signal);
        }
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
        _reload = new Reload(++_lastGeneration, _time.GetUtcNow());
        _pendingRespawns.Clear();
        LogReloadStarting(_reload.Generation, _target);
        for (var slot = 1; slot <= _target && _reload is not null; slot++)
        {
            Spawn(slot, _reload.Generation);
        }
    }

    private void CompleteReloadIfReady()
    {
        var reload = _reload!;
        var fresh = _workers.Values.Where(w => w.Generation == reload.Generation).ToArray();
        if (fresh.Length < _target || fresh.Any(w => w.State != WorkerState.Ready))
        {
            return;
        }

        // Every new worker is listening: only now do the old ones stop accepting, so capacity never dips.
        _currentGeneration = reload.Generation;
        _reload = null;
        var retiring = _workers.Values.Where(w => w.Generation != _currentGeneration && w.State is WorkerState.Starting or WorkerState.Ready).ToArray();
        LogReloadComplete(reload.Generation, fresh.Length, retiring.Length, (_time.GetUtcNow() - reload.StartedAt).TotalSeconds);
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
        var serving = _workers.Values.Count(w => w.Generation == _currentGeneration && w.State == WorkerState.Ready);
        LogReloadFailed(reason, serving);
        foreach (var worker in _workers.Values.Where(w => w.Generation == reload.Generation).ToArray())
        {
            if (worker.State == WorkerState.Ready)
            {
                Retire(worker, "reload failed");
            }
            else if (worker.State == WorkerState.Starting)
            {
                Kill(worker, "reload failed");
            }
        }
        if (reload.Again)
        {
            BeginReload();
        }
    }
}
