using Microsoft.Extensions.Logging;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    /// <summary>The one way a worker changes state: checked against <see cref="WorkerState.CanMoveTo"/> and logged once.</summary>
    /// <returns>The state the worker left.</returns>
    private WorkerState Transition(Worker worker, WorkerState next, string reason)
    {
        var previous = worker.Enter(next);
        LogTransition(worker.Slot, worker.Pid, previous.Name, next.Name, reason);
        return previous;
    }

    [LoggerMessage(EventId = 15, Level = LogLevel.Debug, Message = "Worker {Slot} (pid {Pid}): {From} -> {To} ({Reason})")]
    private partial void LogTransition(int slot, int pid, string from, string to, string reason);
}
