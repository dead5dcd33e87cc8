using Microsoft.Extensions.Logging;

namespace Procman.Workers;

/// <summary>
/// Where the lines workers write to their stdout and stderr go: procman's own stdout and stderr with the
/// worker named in front (the default), or into the master's log (capture_output).
/// </summary>
internal sealed partial class WorkerOutput(bool capture, ILogger<WorkerOutput> logger)
{
    public void Write(int slot, int pid, bool isError, string line)
    {
        if (capture)
        {
            LogWorkerOutput(slot, pid, line);
            return;
        }
        (isError ? Console.Error : Console.Out).WriteLine($"[worker {slot} pid {pid}] {line}");
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "[worker {Slot} pid {Pid}] {Line}")]
    private partial void LogWorkerOutput(int slot, int pid, string line);
}
