using Procman.Protocol;
using Procman.Signals;

namespace Procman.Arbitration;

/// <summary>
/// Everything the arbiter reacts to. Signal handlers, worker channels and timers only post these;
/// the arbiter loop alone acts on them, so the worker table has a single owner.
/// </summary>
internal abstract record ArbiterEvent
{
    public sealed record SignalReceived(MasterSignal Signal) : ArbiterEvent;

    /// <summary>A message from a worker's channel.</summary>
    public sealed record WorkerMessageReceived(long Key, WorkerMessage Message) : ArbiterEvent;

    /// <summary>
    /// A worker process ended; <paramref name="OutputTail"/> holds its last lines of output, <paramref name="ErrorTail"/>
    /// its last lines on stderr alone (null: not kept apart).
    /// </summary>
    public sealed record WorkerExited(long Key, WorkerExit Exit, IReadOnlyList<string> OutputTail, IReadOnlyList<string>? ErrorTail = null) : ArbiterEvent;

    /// <summary>Something other than SIGHUP asks for a reload, such as a changed app file in reload mode.</summary>
    public sealed record ReloadRequested(string Reason) : ArbiterEvent;

    /// <summary>The diagnosis of a hung worker is done: its stacks, or why there are none, and its dump.</summary>
    public sealed record Diagnosed(long Key, WorkerDiagnosis Diagnosis) : ArbiterEvent;

    /// <summary>
    /// A query or command from the control socket or the admin endpoint; the loop completes
    /// <paramref name="Reply"/>, at once or (reload --wait) when the work is done.
    /// </summary>
    public sealed record Control(Procman.Control.ControlRequest Request, TaskCompletionSource<Procman.Control.ControlResponse> Reply) : ArbiterEvent;

    /// <summary>The master started on SIGUSR2 says its workers are all ready.</summary>
    public sealed record NewMasterReady(int Pid) : ArbiterEvent;

    /// <summary>The master started on SIGUSR2 exited (before it was ready, or after it was given up).</summary>
    public sealed record NewMasterExited(int Pid, WorkerExit Exit) : ArbiterEvent;

    /// <summary>The periodic tick: deadlines, backoff and heartbeats are checked on it. The loop gives it itself when it is due.</summary>
    public sealed record Tick : ArbiterEvent;
}
