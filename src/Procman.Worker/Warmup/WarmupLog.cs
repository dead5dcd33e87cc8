using Microsoft.Extensions.Logging;

namespace Procman.Worker.Warmup;

/// <summary>The events of a worker's warm-up, logged through the app's own logging (see docs/logging.md).</summary>
internal static partial class WarmupLog
{
    [LoggerMessage(EventId = 180, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} warmed up with {Requests} request(s) in {Milliseconds} ms")]
    public static partial void WarmedUp(ILogger logger, int workerId, int requests, long milliseconds);

    [LoggerMessage(EventId = 181, Level = LogLevel.Warning,
        Message = "procman: worker {WorkerId}: {Failed} of {Requests} warm-up request(s) to {Path} answered {Status}; the worker boots regardless")]
    public static partial void Answered(ILogger logger, int workerId, int failed, int requests, string path, int status);

    [LoggerMessage(EventId = 182, Level = LogLevel.Warning,
        Message = "procman: worker {WorkerId}: {Failed} of {Requests} warm-up request(s) to {Path} threw {ExceptionType}: {ExceptionMessage}; the worker boots regardless")]
    public static partial void Threw(ILogger logger, int workerId, int failed, int requests, string path, string exceptionType, string exceptionMessage);

    [LoggerMessage(EventId = 183, Level = LogLevel.Warning,
        Message = "procman: worker {WorkerId}: warm-up did not finish within {Seconds} s (a request to {Path} is still running, {Finished} finished); the worker takes traffic without it")]
    public static partial void TimedOut(ILogger logger, int workerId, double seconds, string path, int finished);
}
