namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    // A ready worker counts as healthy while its last heartbeat (one a second) is this recent.
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromSeconds(5);

    // Booting ends when the first full set of workers is ready, not with the first ready worker.
    private bool _booted;

    /// <summary>The arbiter's state as its observer sees it.</summary>
    public ArbiterStatus Status()
    {
        var now = _time.GetUtcNow();
        var current = _workers.Values.Where(w => w.Generation == _currentGeneration && w.State.IsServing).ToArray();
        var healthy = _workers.Values.Count(w => w.State.IsServing && now - w.LastHeartbeat < HealthyWithin);
        var phase = _handedOver ? ArbiterPhase.HandedOver
            : _stop is not null ? ArbiterPhase.Stopping
            : _shutdownAt is not null ? ArbiterPhase.ShutdownDelay
            : !_booted ? ArbiterPhase.Booting
            : _reload is not null ? ArbiterPhase.Reloading
            : ArbiterPhase.Serving;
        var fresh = _reload is null ? [] : _workers.Values.Where(w => w.Generation == _reload.Generation).ToArray();
        return new ArbiterStatus(
            phase,
            current.Length,
            _slots.Count,
            _currentGeneration,
            healthy,
            _reloadRequests,
            _reload?.Generation,
            fresh.Count(w => w.State.IsServing),
            _reload?.Plan.Options.Workers ?? 0,
            _workers.Count,
            Deadline(phase));
    }

    private DateTimeOffset? Deadline(ArbiterPhase phase)
    {
        var bounds = phase switch
        {
            ArbiterPhase.Booting or ArbiterPhase.Reloading => _workers.Values
                .Where(w => w.State is WorkerState.Starting)
                .Select(w => (DateTimeOffset?)(w.StartedAt + Options.BootTimeout))
                // A rolling reload also waits for each retiring worker to be gone before the next boots.
                .Concat(_reload is { Rolling: true } ? _workers.Values.Where(w => w.State is WorkerState.Draining).Select(w => w.State.KillAt) : []),
            ArbiterPhase.Stopping or ArbiterPhase.HandedOver => _workers.Values.Select(w => w.State.KillAt),
            ArbiterPhase.ShutdownDelay => [_shutdownAt + Options.GracefulTimeout + KillMargin],
            _ => [],
        };
        return bounds.Max();
    }

    private void Publish()
    {
        _booted |= _workers.Values.Count(w => w.Generation == _currentGeneration && w.State.IsServing) >= _slots.Count;
        _observer?.OnChanged(Status());
    }
}
