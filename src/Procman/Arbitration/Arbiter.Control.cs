using Procman.Configuration;
using Procman.Control;

namespace Procman.Arbitration;

/// <summary>
/// The control plane's side of the loop: queries and commands from the control socket and the admin endpoint
/// arrive as <see cref="ArbiterEvent.Control"/>, are answered here, in the loop, and the answer leaves as an
/// immutable <see cref="MasterSnapshot"/> or a <see cref="ControlResponse"/>. The counters the snapshot carries
/// (restarts, reloads, boots) are kept here too.
/// </summary>
internal sealed partial class Arbiter
{
    private readonly Dictionary<string, long> _restartsByReason = RestartReason.All.ToDictionary(reason => reason, _ => 0L, StringComparer.Ordinal);
    private readonly Dictionary<int, (int Restarts, string LastExit)> _slotHistory = [];
    private readonly Dictionary<long, RequestRate> _rates = [];
    private readonly List<(int AfterGeneration, TaskCompletionSource<ControlResponse> Reply)> _reloadWaiters = [];
    private ReloadCounts _reloadCounts = ReloadCounts.None;
    private long _boots;
    private double _bootSecondsSum;
    private DateTimeOffset _startedAt;

    private void OnControl(ControlRequest request, TaskCompletionSource<ControlResponse> reply)
    {
        var response = request.Command switch
        {
            ControlRequest.Status => ControlResponse.Of(Snapshot()),
            ControlRequest.Reload => ReloadAsked(request.Wait, reply),
            ControlRequest.Scale => ScaleAsked(request),
            ControlRequest.Recycle => RecycleAsked(request),
            ControlRequest.Stop => StopAsked(request.Quick),
            _ => ControlResponse.Refused($"unknown command '{request.Command}'"),
        };
        if (response is not null)
        {
            reply.TrySetResult(response);
        }
    }

    /// <summary>The master and its workers now; memory, which takes reading /proc, is added outside the loop.</summary>
    public MasterSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        var workers = _workers.Values
            .OrderBy(worker => worker.Slot)
            .ThenBy(worker => worker.StartedAt)
            .Select(worker => new WorkerSnapshot
            {
                Slot = worker.Slot,
                Pid = worker.Pid,
                Generation = worker.Generation,
                State = worker.State switch
                {
                    WorkerState.Starting => "starting",
                    { IsServing: true } => "ready",
                    WorkerState.Draining => "draining",
                    WorkerState.Killing => "killing",
                    _ => "stopping",
                },
                UptimeSeconds = (now - worker.StartedAt).TotalSeconds,
                BootSeconds = worker.ReadyAt is { } ready ? (ready - worker.StartedAt).TotalSeconds : null,
                Requests = worker.Requests,
                RequestsPerSecond = _rates.TryGetValue(worker.Key, out var rate) ? rate.PerSecond : null,
                InFlight = worker.Health?.RequestsInFlight,
                KeepAliveConnections = worker.OpenConnections,
                GcHeapBytes = worker.Health?.GcHeapBytes,
                ThreadPoolThreads = worker.Health?.PoolThreads,
                ThreadPoolQueue = worker.Health?.QueuedItems,
                ProbeDelaySeconds = worker.Health?.ProbeDelay.TotalSeconds,
                Restarts = _slotHistory.TryGetValue(worker.Slot, out var history) ? history.Restarts : 0,
                LastExit = _slotHistory.TryGetValue(worker.Slot, out var last) ? last.LastExit : null,
            })
            .ToArray();
        return new MasterSnapshot
        {
            Pid = Environment.ProcessId,
            State = _stop is not null ? "stopping" : _shutdownAt is not null ? "shutdown-delay" : _reload is not null ? "reloading" : _everReady ? "running" : "starting",
            Generation = _currentGeneration,
            StartedAt = _startedAt,
            UptimeSeconds = (now - _startedAt).TotalSeconds,
            TargetWorkers = _slots.Count,
            Workers = workers,
            Restarts = new Dictionary<string, long>(_restartsByReason, StringComparer.Ordinal),
            Reloads = _reloadCounts,
            Boots = _boots,
            BootSecondsSum = _bootSecondsSum,
        };
    }

    private ControlResponse? ReloadAsked(bool wait, TaskCompletionSource<ControlResponse> reply)
    {
        if (_stop is not null)
        {
            return ControlResponse.Refused("procman is stopping");
        }
        var queued = _reload is not null;
        // Answered by the first reload to settle after this one was asked for: a reload in progress only
        // queues another, which reads the configuration again.
        var waiter = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reloadWaiters.Add((_lastGeneration, waiter));
        LogReloadRequested("procman reload");
        BeginReload();
        if (wait || waiter.Task.IsCompleted)
        {
            _ = waiter.Task.ContinueWith(settled => reply.TrySetResult(settled.Result), TaskScheduler.Default);
            return null;
        }
        return ControlResponse.Done(queued
            ? "a reload is in progress; another one follows it"
            : $"reload started (generation {_lastGeneration}): {_reload?.Plan.Options.Workers} new worker(s)");
    }

    private ControlResponse ScaleAsked(ControlRequest request)
    {
        if (_stop is not null || _reload is not null)
        {
            return ControlResponse.Refused("a reload or a stop is in progress; scale once it is over");
        }
        var target = request.Workers ?? _slots.Count + (request.Delta ?? 0);
        if (Settings.Get(Settings.Workers).Validate?.Invoke(target) is { } problem)
        {
            return ControlResponse.Refused(problem);
        }
        var before = _slots.Count;
        for (var count = _slots.Count; count < target && _stop is null; count++)
        {
            AddWorker();
        }
        for (var count = _slots.Count; count > target && _stop is null; count--)
        {
            RemoveWorker("procman scale");
        }
        return ControlResponse.Done($"{before} -> {_slots.Count} worker(s)");
    }

    private ControlResponse RecycleAsked(ControlRequest request)
    {
        if (_stop is not null || _reload is not null)
        {
            return ControlResponse.Refused("a reload or a stop is in progress; recycle once it is over");
        }
        var chosen = _workers.Values
            .Where(worker => worker.State is WorkerState.Ready && worker.Generation == _currentGeneration
                && (request.All || worker.Slot == request.Slot))
            .ToArray();
        if (chosen.Length == 0)
        {
            return ControlResponse.Refused(request.All
                ? "no worker is ready to be recycled"
                : $"no ready worker in slot {request.Slot}; procman status lists the slots");
        }
        foreach (var worker in chosen)
        {
            worker.RecycleAsked = true;
            // Asked for now: a wait left by an earlier failed recycle no longer applies.
            Transition(worker, new WorkerState.Ready(), RecyclePolicy.AskedReason);
        }
        RecycleNextDue(_time.GetUtcNow());
        return ControlResponse.Done($"recycling {chosen.Length} worker(s), one at a time: each retires once its replacement is ready");
    }

    private ControlResponse StopAsked(bool quick)
    {
        BeginStop(quick, ExitCodes.Success, error: null);
        return ControlResponse.Done(quick ? "quick stop" : "graceful stop");
    }

    private void ObserveRequests(Worker worker)
    {
        if (!_rates.TryGetValue(worker.Key, out var rate))
        {
            _rates[worker.Key] = rate = new RequestRate();
        }
        rate.Observe(worker.LastHeartbeat, worker.Requests);
    }

    private void RecordBoot(Worker worker)
    {
        _boots++;
        _bootSecondsSum += (worker.ReadyAt!.Value - worker.StartedAt).TotalSeconds;
    }

    /// <summary>Counts a worker's end as a restart of its slot, when it is one, and keeps how it ended.</summary>
    private void RecordExit(Worker worker, WorkerState previous, WorkerExit exit)
    {
        _rates.Remove(worker.Key);
        var reason = RestartReasonOf(worker, previous);
        var (restarts, _) = _slotHistory.GetValueOrDefault(worker.Slot);
        if (reason is not null)
        {
            _restartsByReason[reason]++;
            restarts++;
        }
        var why = previous switch
        {
            WorkerState.Killing killing => killing.Reason,
            WorkerState.Draining draining => draining.Reason,
            _ => reason ?? (_stop is not null ? "stopping" : "retired"),
        };
        _slotHistory[worker.Slot] = (restarts, $"{exit} ({why})");
    }

    /// <summary>Null when the worker is not replaced: procman is stopping, its slot was removed, or its reload failed.</summary>
    private string? RestartReasonOf(Worker worker, WorkerState previous)
    {
        if (_stop is not null || worker.Generation > _currentGeneration || !_slots.Contains(worker.Slot))
        {
            return null;
        }
        return previous switch
        {
            WorkerState.Draining { Recycled: true } draining => draining.Reason switch
            {
                { } reason when reason.Contains(RecyclePolicy.RequestsReason, StringComparison.Ordinal) => RestartReason.Requests,
                { } reason when reason.Contains(RecyclePolicy.MemoryReason, StringComparison.Ordinal) => RestartReason.Memory,
                { } reason when reason.Contains(RecyclePolicy.LifetimeReason, StringComparison.Ordinal) => RestartReason.Lifetime,
                _ => RestartReason.Recycle,
            },
            // A rolling reload retires old workers before it makes its generation the current one.
            WorkerState.Draining when worker.Generation < _currentGeneration || worker.Generation < _reload?.Generation => RestartReason.Reload,
            WorkerState.Draining => null,
            WorkerState.Killing killing when killing.Reason.StartsWith("hung", StringComparison.Ordinal) => RestartReason.Hung,
            WorkerState.Killing { BeforeReady: true } or WorkerState.Starting => RestartReason.Boot,
            _ => RestartReason.Crash,
        };
    }

    private void OnReloadSettled(int generation, double? seconds, string? error)
    {
        _reloadCounts = error is null
            ? _reloadCounts with { Completed = _reloadCounts.Completed + 1, DurationSecondsSum = _reloadCounts.DurationSecondsSum + seconds!.Value, LastDurationSeconds = seconds }
            : _reloadCounts with { Failed = _reloadCounts.Failed + 1 };
        var response = error is null
            ? ControlResponse.Done($"reload complete (generation {generation}) after {seconds:0.00} s")
            : ControlResponse.Refused($"reload failed: {error}; the running workers keep serving");
        SettleReloadWaiters(generation, response);
    }

    private void OnReloadRefused(string error)
    {
        _reloadCounts = _reloadCounts with { Refused = _reloadCounts.Refused + 1 };
        SettleReloadWaiters(int.MaxValue, ControlResponse.Refused($"reload refused: {error}; the running configuration and workers stay as they are"));
    }

    private void SettleReloadWaiters(int generation, ControlResponse response)
    {
        foreach (var waiter in _reloadWaiters.Where(waiter => waiter.AfterGeneration < generation).ToArray())
        {
            _reloadWaiters.Remove(waiter);
            waiter.Reply.TrySetResult(response);
        }
    }
}
