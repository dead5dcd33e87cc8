using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Procman.Configuration;
using Procman.Protocol;

namespace Procman.Arbitration;

/// <summary>
/// The master's single loop. It owns the worker table; signals, worker messages and worker exits arrive as
/// events on one channel, the loop gives itself a tick when one is due, and every decision (spawn, retire,
/// kill, reload, recycle, stop) is taken here, one event at a time.
/// </summary>
internal sealed partial class Arbiter
{
    // How long a quick stop (SIGINT, SIGQUIT) lets workers exit before killing them.
    private static readonly TimeSpan QuickStopBound = TimeSpan.FromSeconds(1);

    // Beyond the graceful timeout, the time a retiring worker gets to stop its host before it is killed.
    private static readonly TimeSpan KillMargin = TimeSpan.FromSeconds(5);

    // After the first worker was ready, this many boot failures in a row with no worker serving is a
    // broken deploy, not a transient failure: procman gives up rather than loop forever.
    private const int MaxBootFailuresWhileDown = 5;

    private readonly IWorkerPlans _plans;
    private readonly Channel<ArbiterEvent> _events;
    private readonly TimeProvider _time;
    private readonly RestartPolicy _restarts;
    private readonly RecyclePolicy _recycling;
    private readonly IProcessMetrics _metrics;
    private readonly IWorkerDiagnostics? _diagnostics;
    private readonly Action _reopenLogs;
    private readonly IArbiterObserver? _observer;
    private readonly HeartbeatInbox _heartbeats;
    private readonly ILogger<Arbiter> _logger;

    private readonly Dictionary<long, Worker> _workers = [];
    private readonly Dictionary<int, DateTimeOffset> _pendingRespawns = [];

    /// <summary>Per slot in a crash loop, the cause last named for it, so that each loop is named once.</summary>
    private readonly Dictionary<int, string> _crashLoops = [];

    /// <summary>The slots that should have a worker; SIGTTIN and SIGTTOU add and remove one.</summary>
    private readonly SortedSet<int> _slots = [];
    private long _lastKey;
    private int _lastGeneration;
    private int _currentGeneration;
    private Reload? _reload;
    private Stop? _stop;
    private bool _everReady;
    private int _bootFailuresWhileDown;
    private DateTimeOffset _lastMemorySample;
    private DateTimeOffset _lastShare;
    private int? _lastShareTotal;
    private int _reloadRequests;

    public Arbiter(
        IWorkerPlans plans,
        Channel<ArbiterEvent> events,
        TimeProvider time,
        ILogger<Arbiter> logger,
        IProcessMetrics? metrics = null,
        IWorkerDiagnostics? diagnostics = null,
        Action? reopenLogs = null,
        Random? random = null,
        IArbiterObserver? observer = null,
        IMasterUpgrade? upgrader = null,
        HeartbeatInbox? heartbeats = null)
    {
        _plans = plans;
        _events = events;
        _time = time;
        _logger = logger;
        _metrics = metrics ?? new ProcMetrics();
        _diagnostics = diagnostics;
        _reopenLogs = reopenLogs ?? (() => { });
        _observer = observer;
        _upgrader = upgrader;
        _heartbeats = heartbeats ?? new HeartbeatInbox(time);
        _restarts = new RestartPolicy(time);
        _recycling = new RecyclePolicy(random ?? Random.Shared);
        ResetSlots(plans.Current.Options.Workers);
    }

    /// <summary>The settings in force: those of the current plan (a reload in progress has its own).</summary>
    private ProcmanOptions Options => _plans.Current.Options;

    /// <summary>The exit code and, for a failure, the one-line reason, once <see cref="RunAsync"/> has returned.</summary>
    public (int ExitCode, string? Error) Outcome => (_stop?.ExitCode ?? ExitCodes.Success, _stop?.Error);

    /// <summary>The workers currently in the table, for tests and diagnostics.</summary>
    public IReadOnlyCollection<Worker> Workers => _workers.Values;

    public bool IsFinished => _stop is not null && _workers.Count == 0;

    /// <summary>Starts the workers and runs until they have all stopped, on a thread of the loop's own.</summary>
    /// <remarks>
    /// The loop blocks on that thread until its next event or until the tick is due, so an idle master wakes once per
    /// tick, on this thread alone. A timer's tick cost three wake-ups on top (the runtime's timer thread, a
    /// thread-pool thread for the callback and another for the loop's continuation) and kept the pool's gate thread
    /// running, which was most of an idle master's CPU.
    /// </remarks>
    public Task RunAsync()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                Run();
                finished.SetResult();
            }
            catch (Exception ex)
            {
                finished.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "procman arbiter",
        }.Start();
        return finished.Task;
    }

    private void Run()
    {
        var interval = TickInterval;
        // Monotonic, so that a step of the wall clock neither holds the tick back nor fires it early.
        var lastTick = _time.GetTimestamp();
        Start();

        // One wait for the next event at a time: a wait that timed out for the tick is still pending, and is the one
        // the loop blocks on again.
        Task<bool>? readable = null;
        while (!IsFinished)
        {
            while (!IsFinished && _events.Reader.TryRead(out var next))
            {
                Handle(next);
            }
            if (IsFinished)
            {
                break;
            }
            if (WantedTickInterval != interval)
            {
                // As a timer changed to the new interval would: the next tick one interval from now.
                interval = WantedTickInterval;
                lastTick = _time.GetTimestamp();
            }
            var sinceTick = _time.GetElapsedTime(lastTick);
            if (sinceTick >= interval)
            {
                lastTick = _time.GetTimestamp();
                Handle(new ArbiterEvent.Tick());
                continue;
            }
            readable ??= _events.Reader.WaitToReadAsync().AsTask();
            // The time provider decides when the tick is due; the wait only bounds how long the thread sleeps
            // before it asks again. On the task's wait handle, which blocks at once: Task.Wait spins first, and
            // its spinning cost more than the rest of the tick. In whole milliseconds rounded up, as the wait
            // counts them: rounded down, the last fraction of a millisecond before the tick was a busy loop.
            var untilTick = TimeSpan.FromMilliseconds(Math.Ceiling((interval - sinceTick).TotalMilliseconds));
            if (((IAsyncResult)readable).AsyncWaitHandle.WaitOne(untilTick))
            {
                if (!readable.Result)
                {
                    break;
                }
                readable = null;
            }
        }
    }

    /// <summary>Starts the first workers. Public, with <see cref="Handle"/>, for unit tests, which drive the arbiter event by event.</summary>
    public void Start()
    {
        _startedAt = _time.GetUtcNow();
        LogStarting(_slots.Count, Options.App.Path);
        foreach (var slot in _slots)
        {
            Spawn(slot, _currentGeneration, _plans.Current);
        }
        Publish();
    }

    /// <summary>Handles one event.</summary>
    public void Handle(ArbiterEvent next)
    {
        // First the heartbeats that came before this event, so that it is handled on what they say.
        while (_heartbeats.TryTake(out var beat))
        {
            if (_workers.TryGetValue(beat.Key, out var beating))
            {
                OnHeartbeat(beating, beat.Heartbeat, beat.At);
            }
        }
        switch (next)
        {
            case ArbiterEvent.SignalReceived signal:
                OnSignal(signal.Signal);
                break;
            case ArbiterEvent.WorkerMessageReceived received when _workers.TryGetValue(received.Key, out var worker):
                OnMessage(worker, received.Message);
                break;
            case ArbiterEvent.WorkerExited exited when _workers.TryGetValue(exited.Key, out var worker):
                OnExited(worker, exited.Exit, exited.OutputTail, exited.ErrorTail ?? exited.OutputTail);
                break;
            case ArbiterEvent.Diagnosed diagnosed when _workers.TryGetValue(diagnosed.Key, out var worker):
                OnDiagnosed(worker, diagnosed.Diagnosis);
                break;
            case ArbiterEvent.Tick:
                OnTick();
                break;
            case ArbiterEvent.Control control:
                OnControl(control.Request, control.Reply);
                break;
            case ArbiterEvent.NewMasterReady ready:
                OnNewMasterReady(ready.Pid);
                break;
            case ArbiterEvent.NewMasterExited exited:
                OnNewMasterExited(exited.Pid, exited.Exit);
                break;
            case ArbiterEvent.ReloadRequested reload:
                LogReloadRequested(reload.Reason);
                RequestReload();
                break;
        }
        Roll();
        Publish();
    }

    private void OnMessage(Worker worker, WorkerMessage message)
    {
        switch (message)
        {
            case WorkerMessage.Heartbeat heartbeat:
                OnHeartbeat(worker, heartbeat, _time.GetUtcNow());
                break;
            case WorkerMessage.MaxRequestsReached reached:
                worker.MaxRequestsReached ??= (reached.Served, reached.Limit);
                break;
            case WorkerMessage.Attached:
                worker.Attached = true;
                break;
            case WorkerMessage.Ready when worker.State is WorkerState.Starting:
                OnReady(worker);
                break;
        }
    }

    private void OnHeartbeat(Worker worker, WorkerMessage.Heartbeat heartbeat, DateTimeOffset at)
    {
        worker.LastHeartbeat = at;
        worker.Health = heartbeat;
        worker.Pool.Record(at, heartbeat, Options.Timeout + Options.Timeout);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // Formatting the numbers costs more than the rest of a heartbeat: only for a log that shows them.
            LogHeartbeat(worker.Slot, worker.Pid, heartbeat.Requests, LivenessRule.Numbers(heartbeat));
        }
        ObserveRequests(worker);
    }

    private void OnReady(Worker worker)
    {
        var now = _time.GetUtcNow();
        var replacing = worker.Replacing;
        Transition(worker, new WorkerState.Ready(), "listening");
        if (!worker.Handle.RestorePriority())
        {
            LogPriorityNotRestored(worker.Slot, worker.Pid);
        }
        worker.ReadyAt = now;
        worker.LastHeartbeat = now;
        worker.Pool.Clear();
        RecordBoot(worker);
        _everReady = true;
        _bootFailuresWhileDown = 0;
        _restarts.OnReady(worker.Slot);
        LogWorkerReady(worker.Slot, worker.Pid, (now - worker.StartedAt).TotalSeconds);

        if (replacing?.State is WorkerState.Recycling recycling)
        {
            Retire(replacing, $"recycled ({recycling.Reason}); its replacement is pid {worker.Pid}", recycled: true);
        }
        if (_reload is not null && worker.Generation == _reload.Generation)
        {
            CompleteReloadIfReady();
        }
    }

    private void OnExited(Worker worker, WorkerExit exit, IReadOnlyList<string> tail, IReadOnlyList<string> errors)
    {
        var previous = Transition(worker, new WorkerState.Exited(exit), exit.ToString());
        _workers.Remove(worker.Key);
        worker.Handle.Dispose();
        RecordExit(worker, previous, exit);
        foreach (var replacement in _workers.Values.Where(w => w.Replacing == worker && w.State is WorkerState.Starting).ToArray())
        {
            // Died while its replacement was starting: the replacement simply takes the slot over.
            Transition(replacement, new WorkerState.Starting(), $"{worker} it was to replace is gone");
        }

        if (_stop is not null || previous is WorkerState.Draining)
        {
            var reason = previous switch
            {
                WorkerState.Killing killing => killing.Reason,
                WorkerState.Draining => "retired",
                _ => "stopping",
            };
            LogWorkerExited(worker.Slot, worker.Pid, exit.ToString(), reason);
            return;
        }

        if (_reload is not null && worker.Generation == _reload.Generation)
        {
            LogWorkerFailed(worker.Slot, worker.Pid, exit.ToString(), Describe(previous), FormatTail(tail));
            AbortReload($"new worker {worker.Slot} (pid {worker.Pid}) {Describe(previous)} ({exit})");
            return;
        }

        if (worker.Generation != _currentGeneration)
        {
            // A worker of a reload that was already given up. One kept serving after a rolling reload failed held a
            // slot's capacity until a worker of the current generation took over: start that one now.
            LogWorkerExited(worker.Slot, worker.Pid, exit.ToString(), (previous as WorkerState.Killing)?.Reason ?? "abandoned reload");
            FillSlotsLeftUncovered();
            return;
        }

        var replaced = previous switch
        {
            WorkerState.Starting starting => starting.Replacing,
            WorkerState.Killing killing => killing.Replacing,
            _ => null,
        };
        if (replaced is not null)
        {
            // The replacement of a recycle failed: the worker it was to replace keeps serving, and is not
            // recycled again until later, so that a broken deploy does not turn into a restart loop.
            LogWorkerFailed(worker.Slot, worker.Pid, exit.ToString(), Describe(previous), FormatTail(tail));
            if (replaced.State is WorkerState.Recycling)
            {
                Transition(replaced, new WorkerState.Ready(_time.GetUtcNow() + RecyclePolicy.RetryAfterFailure), "its replacement did not boot");
            }
            LogRecycleFailed(replaced.Slot, replaced.Pid, RecyclePolicy.RetryAfterFailure.TotalSeconds);
            return;
        }

        if (previous is WorkerState.Starting or WorkerState.Killing { BeforeReady: true })
        {
            OnBootFailure(worker, exit, tail, Describe(previous), previous is WorkerState.Killing ? null : errors);
            return;
        }

        var delay = _restarts.OnCrash(worker.Slot);
        if (previous is WorkerState.Killing killed)
        {
            LogWorkerCrashed(worker.Slot, worker.Pid, exit.ToString(), killed.Reason, delay.TotalSeconds);
        }
        else
        {
            var cause = CrashCause.Describe(exit, errors);
            LogWorkerCrashed(worker.Slot, worker.Pid, exit.ToString(), cause, delay.TotalSeconds);
            if (errors.Count > 0)
            {
                LogCrashOutput(worker.Slot, worker.Pid, FormatTail(errors));
            }
            NameCrashLoop(worker.Slot, cause, delay);
        }
        ScheduleRespawn(worker.Slot, delay);
    }

    /// <summary>
    /// Names the cause of a crash loop once per loop (and again if the cause changes), so that an operator reads
    /// why the slot keeps failing rather than only its growing backoff.
    /// </summary>
    private void NameCrashLoop(int slot, string cause, TimeSpan delay)
    {
        var crashes = _restarts.ConsecutiveCrashes(slot);
        if (crashes < 2)
        {
            _crashLoops.Remove(slot);
            return;
        }
        if (_crashLoops.TryGetValue(slot, out var named) && named == cause)
        {
            return;
        }
        _crashLoops[slot] = cause;
        LogCrashLoop(slot, crashes, cause, delay.TotalSeconds);
    }

    /// <param name="errors">Its last lines on stderr, when it exited by itself; null when it was killed.</param>
    private void OnBootFailure(Worker worker, WorkerExit exit, IReadOnlyList<string> tail, string why, IReadOnlyList<string>? errors)
    {
        LogWorkerFailed(worker.Slot, worker.Pid, exit.ToString(), why, FormatTail(tail));
        if (!_everReady)
        {
            // At start-up, Gunicorn's rule: a worker that cannot boot means the app cannot boot. Stop,
            // rather than restart it forever.
            BeginStop(quick: true, IsFrameworkMissing(worker, exit) ? ExitCodes.AppNotFound : ExitCodes.BootFailure, BootFailureMessage(worker, exit, why, tail));
            return;
        }

        var ready = _workers.Values.Count(w => w.State.IsServing);
        _bootFailuresWhileDown = ready == 0 ? _bootFailuresWhileDown + 1 : 0;
        if (_bootFailuresWhileDown >= MaxBootFailuresWhileDown)
        {
            BeginStop(quick: true, IsFrameworkMissing(worker, exit) ? ExitCodes.AppNotFound : ExitCodes.BootFailure, BootFailureMessage(worker, exit, why, tail) + $" ({_bootFailuresWhileDown} times in a row with no worker serving)");
            return;
        }
        var delay = _restarts.OnCrash(worker.Slot);
        LogRespawnScheduled(worker.Slot, delay.TotalSeconds);
        if (errors is not null)
        {
            NameCrashLoop(worker.Slot, CrashCause.Describe(exit, errors), delay);
        }
        ScheduleRespawn(worker.Slot, delay);
    }

    private string BootFailureMessage(Worker worker, WorkerExit exit, string why, IReadOnlyList<string> tail) => IsFrameworkMissing(worker, exit)
        ? $"worker {worker.Slot} could not start: the .NET host did not find {MissingFramework(tail)} ({exit}); install that runtime, or let the app run on a newer one with -e DOTNET_ROLL_FORWARD=Major"
        : worker.Attached
        ? $"worker {worker.Slot} {why} ({exit}); fix the app (its output is above) and start procman again"
        : $"worker {worker.Slot} {why} ({exit}) before procman could attach to the app's host; " +
          $"is '{Options.App.Path}' an ASP.NET Core app built with WebApplication, Host or WebHost builders? " +
          "a legacy WebHostBuilder app is attached to through hosting startups, so it must not turn them off (preventHostingStartup)";

    /// <summary>The host exits 150 when a framework is missing, before the app (and procman's hook) ever runs.</summary>
    private static bool IsFrameworkMissing(Worker worker, WorkerExit exit) => exit.Code == WorkerExit.FrameworkMissing && !worker.Attached;

    /// <summary>The framework the host names on stderr ("Framework: 'Microsoft.AspNetCore.App', version '9.0.0' (x64)").</summary>
    private static string MissingFramework(IReadOnlyList<string> tail)
        => tail.Select(line => System.Text.RegularExpressions.Regex.Match(line, @"Framework: '([^']+)', version '([^']+)'")).FirstOrDefault(match => match.Success) is { } found
            ? $"the framework {found.Groups[1].Value} {found.Groups[2].Value} that the app needs"
            : "a framework the app needs (its runtimeconfig.json names it)";

    private static string Describe(WorkerState previous) => previous switch
    {
        WorkerState.Killing killing => $"was killed: {killing.Reason}",
        WorkerState.Starting => "exited before it was ready",
        _ => "exited",
    };

    private static string FormatTail(IReadOnlyList<string> tail)
        => tail.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, tail.Select(line => "    " + line));

    /// <summary>Kills a worker on purpose: its exit is then reported with <paramref name="reason"/>, not as a crash.</summary>
    /// <param name="diagnosisDeadline">Read its stacks first: the kill is sent once they are read, or at this deadline.</param>
    private void Kill(Worker worker, string reason, DateTimeOffset? diagnosisDeadline = null)
    {
        Transition(worker, new WorkerState.Killing(reason, worker.State is WorkerState.Starting, worker.Replacing, diagnosisDeadline), reason);
        if (diagnosisDeadline is null)
        {
            LogKillingWorker(worker.Slot, worker.Pid, reason);
            worker.Handle.Kill();
        }
    }

    private Worker? Spawn(int slot, int generation, WorkerPlan plan)
    {
        var key = ++_lastKey;
        IWorkerHandle handle;
        try
        {
            handle = plan.Launcher.Launch(key, slot, _workers.Values.Where(w => w.State is WorkerState.Ready).Select(w => w.Slot).ToHashSet());
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            LogSpawnFailed(slot, ex.Message);
            if (_reload is not null && generation == _reload.Generation)
            {
                AbortReload($"cannot start a worker: {ex.Message}");
            }
            else if (!_everReady)
            {
                BeginStop(quick: true, ExitCodes.BootFailure, $"cannot start worker {slot}: {ex.Message}");
            }
            else
            {
                ScheduleRespawn(slot, _restarts.OnCrash(slot));
            }
            return null;
        }
        var now = _time.GetUtcNow();
        var worker = new Worker(key, slot, generation, handle, now) { Limits = _recycling.Draw(plan.Options, now) };
        _workers[key] = worker;
        LogWorkerStarted(slot, worker.Pid, generation);
        return worker;
    }

    private void ScheduleRespawn(int slot, TimeSpan delay)
    {
        if (!_slots.Contains(slot) || _workers.Values.Any(w => w.Slot == slot && w.Generation == _currentGeneration && w.State.IsLive))
        {
            return;
        }
        if (_reload is { Rolling: true })
        {
            // Mid-roll, the slot is not started again in the old generation: the roll starts a new worker for it.
            return;
        }
        if (delay <= TimeSpan.Zero)
        {
            Spawn(slot, _currentGeneration, _plans.Current);
            return;
        }
        _pendingRespawns[slot] = _time.GetUtcNow() + delay;
    }

    /// <summary>Tells a worker to drain; it is killed if still there after the graceful timeout and a margin.</summary>
    private void Retire(Worker worker, string reason, bool recycled = false)
    {
        Transition(worker, new WorkerState.Draining(reason, recycled, _time.GetUtcNow() + Options.GracefulTimeout + KillMargin), reason);
        LogRetiringWorker(worker.Slot, worker.Pid, reason);
        worker.Handle.Drain(Options.GracefulTimeout);
    }

    private void ResetSlots(int count)
    {
        _slots.Clear();
        for (var slot = 1; slot <= count; slot++)
        {
            _slots.Add(slot);
        }
    }

    private sealed record Reload(int Generation, DateTimeOffset StartedAt, WorkerPlan Plan)
    {
        /// <summary>Another SIGHUP arrived during this reload: start a fresh one when this one ends.</summary>
        public bool Again { get; set; }

        /// <summary>How many new workers boot at a time: reload_batch of the configuration read, or all of them.</summary>
        public int Batch => Plan.Options.ReloadBatch is > 0 and var batch && batch < Plan.Options.Workers ? batch : Plan.Options.Workers;

        /// <summary>Old workers retire one by one as new ones are ready, rather than all once every new one is.</summary>
        public bool Rolling => Batch < Plan.Options.Workers;

        /// <summary>The slots, 1..workers of the new configuration, that no new worker has been started for yet.</summary>
        public SortedSet<int> Unstarted { get; } = [.. Enumerable.Range(1, Plan.Options.Workers)];
    }

    private sealed record Stop(bool Quick, int ExitCode, string? Error);
}
