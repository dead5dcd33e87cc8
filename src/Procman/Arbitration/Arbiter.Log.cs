using Microsoft.Extensions.Logging;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting {Workers} worker(s) for {App}")]
    private partial void LogStarting(int workers, string app);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Worker {Slot} started with pid {Pid} (generation {Generation})")]
    private partial void LogWorkerStarted(int slot, int pid, int generation);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Worker {Slot} (pid {Pid}) ready after {Seconds:0.00} s")]
    private partial void LogWorkerReady(int slot, int pid, double seconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Worker {Slot} (pid {Pid}) exited: {Exit} ({Reason})")]
    private partial void LogWorkerExited(int slot, int pid, string exit, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Worker {Slot} (pid {Pid}) died: {Exit} ({Reason}); replacing it in {Delay:0.#} s")]
    private partial void LogWorkerCrashed(int slot, int pid, string exit, string reason, double delay);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Worker {Slot} (pid {Pid}) {Why} ({Exit}); its last output:\n{Tail}")]
    private partial void LogWorkerFailed(int slot, int pid, string exit, string why, string tail);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Worker {Slot} will be started again in {Delay:0.#} s")]
    private partial void LogRespawnScheduled(int slot, double delay);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Cannot start worker {Slot}: {Reason}")]
    private partial void LogSpawnFailed(int slot, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Killing worker {Slot} (pid {Pid}): {Reason}")]
    private partial void LogKillingWorker(int slot, int pid, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Killing worker {Slot} (pid {Pid}): still {State} after its deadline")]
    private partial void LogKillingAfterDeadline(int slot, int pid, string state);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Retiring worker {Slot} (pid {Pid}): {Reason}")]
    private partial void LogRetiringWorker(int slot, int pid, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Received {Signal}: {Action}")]
    private partial void LogSignal(string signal, string action);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Received {Signal}: nothing to do")]
    private partial void LogSignalIgnored(string signal);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Stopping ({Mode}): {Workers} worker(s), killing any left after {Seconds:0.#} s")]
    private partial void LogStopping(string mode, int workers, double seconds);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Reload (generation {Generation}): starting {Workers} new worker(s)")]
    private partial void LogReloadStarting(int generation, int workers);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Reload (generation {Generation}): {Ready} new worker(s) ready, retiring {Retiring} old one(s) after {Seconds:0.00} s")]
    private partial void LogReloadComplete(int generation, int ready, int retiring, double seconds);

    [LoggerMessage(EventId = 32, Level = LogLevel.Error, Message = "Reload failed: {Reason}; the {Serving} running worker(s) keep serving")]
    private partial void LogReloadFailed(string reason, int serving);

    [LoggerMessage(EventId = 34, Level = LogLevel.Error, Message = "Reload refused: {Reason}; the running configuration and workers stay as they are")]
    private partial void LogConfigurationInvalid(string reason);

    [LoggerMessage(EventId = 35, Level = LogLevel.Information, Message = "{Reason}: reload")]
    private partial void LogReloadRequested(string reason);

    [LoggerMessage(EventId = 136, Level = LogLevel.Warning, Message = "Reload refused: {Reason}")]
    private partial void LogReloadRefusedForUpgrade(string reason);

    [LoggerMessage(EventId = 170, Level = LogLevel.Information, Message = "Reload (generation {Generation}): rolling, {Workers} new worker(s), {Batch} booting at a time; an old one retires as each is ready")]
    private partial void LogRollingReloadStarting(int generation, int workers, int batch);

    [LoggerMessage(EventId = 171, Level = LogLevel.Warning, Message = "Rolling reload failed part way: {Kept} new worker(s) keep serving until workers of the running configuration replace them one by one")]
    private partial void LogRollKept(int kept);

    [LoggerMessage(EventId = 172, Level = LogLevel.Warning, Message = "Worker {Slot} (pid {Pid}) is ready but stays at its boot_nice priority: the kernel refused to raise it again")]
    private partial void LogPriorityNotRestored(int slot, int pid);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "Reload already in progress; another one follows it")]
    private partial void LogReloadQueued();

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Worker {Slot} (pid {Pid}) {Reason}: writing a dump to {Directory} before killing it")]
    private partial void LogWritingDump(int slot, int pid, string reason, string directory);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Worker {Slot} (pid {Pid}): dump written to {Path}")]
    private partial void LogDumpWritten(int slot, int pid, string path);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Worker {Slot} (pid {Pid}): no dump could be written: {Error}")]
    private partial void LogDumpFailed(int slot, int pid, string error);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Recycling worker {Slot} (pid {Pid}): {Reason}; starting its replacement first")]
    private partial void LogRecycling(int slot, int pid, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Recycle of worker {Slot} (pid {Pid}) failed: its replacement did not boot; it keeps serving and is not recycled again for {Seconds:0} s")]
    private partial void LogRecycleFailed(int slot, int pid, double seconds);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Worker count is now {Workers}")]
    private partial void LogScaled(int workers);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "Worker count unchanged: {Reason}")]
    private partial void LogScaleRefused(string reason);

    [LoggerMessage(EventId = 80, Level = LogLevel.Error, Message = "Worker {Slot} (pid {Pid}) is hung: {Kind}: {Details}; reading its stacks (at most {Bound:0} s) before killing it")]
    private partial void LogWorkerHung(int slot, int pid, string kind, string details, double bound);

    [LoggerMessage(EventId = 81, Level = LogLevel.Error, Message = "Worker {Slot} (pid {Pid}) managed stacks, grouped, most common first:\n{Stacks}")]
    private partial void LogWorkerStacks(int slot, int pid, string stacks);

    [LoggerMessage(EventId = 82, Level = LogLevel.Warning, Message = "Worker {Slot} (pid {Pid}): its stacks could not be read: {Error}")]
    private partial void LogNoStacks(int slot, int pid, string error);

    [LoggerMessage(EventId = 83, Level = LogLevel.Warning, Message = "Worker {Slot} (pid {Pid}): no stacks within {Bound:0} s; killing it without them")]
    private partial void LogDiagnosisTimedOut(int slot, int pid, double bound);

    [LoggerMessage(EventId = 84, Level = LogLevel.Error, Message = "Worker {Slot} (pid {Pid}) crashed; its last lines on stderr:\n{Tail}")]
    private partial void LogCrashOutput(int slot, int pid, string tail);

    [LoggerMessage(EventId = 85, Level = LogLevel.Error, Message = "Worker {Slot} is in a crash loop ({Crashes} failures in a row, next start in {Delay:0.#} s): {Cause}")]
    private partial void LogCrashLoop(int slot, int crashes, string cause, double delay);

    [LoggerMessage(EventId = 86, Level = LogLevel.Debug, Message = "Worker {Slot} (pid {Pid}) heartbeat: {Requests} requests; {Health}")]
    private partial void LogHeartbeat(int slot, int pid, long requests, string health);
}
