namespace Procman.Arbitration;

/// <summary>
/// Where one worker is in its life, with the data that belongs to that stage. Only
/// <see cref="Worker.Enter"/> changes it, and only along <see cref="CanMoveTo"/>; the arbiter logs each change.
/// </summary>
/// <remarks>
/// <code>
/// Starting ──ready──▶ Ready ──recycle due──▶ Recycling ──replacement ready──▶ Draining ──▶ Exited
///    │                 │  ▲                      │                               ▲
///    │                 │  └──replacement failed──┘                               │
///    ├── boot timeout, reload failed, SIGTTOU ──▶ Killing ──────────────────────▶ Exited
///    └── (any live state) ── master stops ──▶ Stopping ─────────────────────────▶ Exited
/// </code>
/// </remarks>
internal abstract record WorkerState
{
    /// <summary>When the worker is killed if it is still there; null for no deadline.</summary>
    public virtual DateTimeOffset? KillAt => null;

    /// <summary>Kestrel is listening and the worker accepts: it counts toward the capacity.</summary>
    public virtual bool IsServing => false;

    /// <summary>Starting or serving: the worker fills its slot, and no other is started for it.</summary>
    public bool IsLive => this is Starting || IsServing;

    public string Name => GetType().Name;

    /// <summary>Whether the arbiter may move a worker from this state to <paramref name="next"/>.</summary>
    public bool CanMoveTo(WorkerState next) => (this, next) switch
    {
        (Exited, _) => false,
        (_, Exited) => true,
        (Starting, Starting or Ready or Draining or Killing or Stopping) => true,
        (Ready, Ready or Recycling or Draining or Killing or Stopping) => true,
        (Recycling, Ready or Draining or Killing or Stopping) => true,
        (Draining, Draining) => true,
        (Killing, Killing) => true,
        (Stopping, Stopping) => true,
        _ => false,
    };

    /// <summary>Started; not yet listening.</summary>
    /// <param name="Replacing">For the replacement of a recycle: the worker it takes over from once ready.</param>
    public sealed record Starting(Worker? Replacing = null) : WorkerState;

    /// <summary>Listening on the shared sockets.</summary>
    /// <param name="RecycleNotBefore">After a failed recycle, no new one before this.</param>
    public sealed record Ready(DateTimeOffset? RecycleNotBefore = null) : WorkerState
    {
        public override bool IsServing => true;
    }

    /// <summary>Still serving while <paramref name="Replacement"/> starts; it retires once that one is ready.</summary>
    public sealed record Recycling(string Reason, Worker Replacement) : WorkerState
    {
        public override bool IsServing => true;
    }

    /// <summary>Retiring: no longer accepting, finishing its connections, then exiting.</summary>
    /// <param name="Recycled">Retired by a recycle, which is still under way until this worker is gone.</param>
    public sealed record Draining(string Reason, bool Recycled, DateTimeOffset? Deadline) : WorkerState
    {
        public override DateTimeOffset? KillAt => Deadline;
    }

    /// <summary>Killed on purpose: its exit is not a crash to report again.</summary>
    /// <param name="BeforeReady">Killed while starting: its exit counts as a boot failure.</param>
    /// <param name="Replacing">Carried over from <see cref="Starting"/>: the recycle it was to complete.</param>
    /// <param name="Deadline">Set while a dump is written first; null once the kill is sent.</param>
    public sealed record Killing(string Reason, bool BeforeReady, Worker? Replacing, DateTimeOffset? Deadline) : WorkerState
    {
        public override DateTimeOffset? KillAt => Deadline;
    }

    /// <summary>Told to stop because the master is stopping.</summary>
    public sealed record Stopping(DateTimeOffset? Deadline) : WorkerState
    {
        public override DateTimeOffset? KillAt => Deadline;
    }

    /// <summary>The process has ended.</summary>
    public sealed record Exited(WorkerExit Exit) : WorkerState;
}
