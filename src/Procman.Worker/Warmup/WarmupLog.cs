using Microsoft.Extensions.Logging;

namespace Procman.Worker.Warmup;

/// <summary>The events of a worker's warm-up, logged through the app's own logging (see docs/logging.md).</summary>
internal static partial class WarmupLog
{
    [LoggerMessage(EventId = 180, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} warmed up with {Requests} request(s) in {Milliseconds} ms ({Compiled} method(s) compiled)")]
    public static partial void WarmedUp(ILogger logger, int workerId, int requests, long milliseconds, long compiled);

    [LoggerMessage(EventId = 181, Level = LogLevel.Warning,
        Message = "procman: worker {WorkerId}: {Failed} of {Requests} warm-up request(s) to {Path} answered {Status}; the worker boots regardless")]
    public static partial void Answered(ILogger logger, int workerId, int failed, int requests, string path, int status);

    [LoggerMessage(EventId = 182, Level = LogLevel.Warning,
        Message = "procman: worker {WorkerId}: {Failed} of {Requests} warm-up request(s) to {Path} threw {ExceptionType}: {ExceptionMessage}; the worker boots regardless")]
    public static partial void Threw(ILogger logger, int workerId, int failed, int requests, string path, string exceptionType, string exceptionMessage);

    [LoggerMessage(EventId = 183, Level = LogLevel.Warning,
        Message = "procman: worker {WorkerId}: warm-up did not finish within {Seconds} s (a request to {Path} is still running, {Finished} finished); the worker takes traffic without it")]
    public static partial void TimedOut(ILogger logger, int workerId, double seconds, string path, int finished);

    [LoggerMessage(EventId = 184, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} warmed up with {Requests} request(s) in {Milliseconds} ms, until the JIT had compiled nothing for {QuietMilliseconds} ms ({Compiled} method(s) compiled)")]
    public static partial void TieredUp(ILogger logger, int workerId, int requests, long milliseconds, long quietMilliseconds, long compiled);

    [LoggerMessage(EventId = 185, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} warmed up with {Requests} request(s) in {Milliseconds} ms ({Compiled} method(s) compiled); the JIT was still compiling when warmup_tier_up_timeout ({Seconds} s) passed, and tiers the rest up under traffic")]
    public static partial void StillCompiling(ILogger logger, int workerId, int requests, long milliseconds, long compiled, double seconds);

    [LoggerMessage(EventId = 186, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} warmed Kestrel up with {Requests} request(s) procman answered itself in front of the app (no warmup_path: the app saw none) in {Milliseconds} ms, until the JIT had compiled nothing for {QuietMilliseconds} ms ({Compiled} method(s) compiled)")]
    public static partial void ServerTieredUp(ILogger logger, int workerId, int requests, long milliseconds, long quietMilliseconds, long compiled);

    [LoggerMessage(EventId = 187, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} warmed Kestrel up with {Requests} request(s) procman answered itself in front of the app (no warmup_path: the app saw none) in {Milliseconds} ms ({Compiled} method(s) compiled); the JIT was still compiling when warmup_tier_up_timeout ({Seconds} s) passed, and tiers the rest up under traffic")]
    public static partial void ServerStillCompiling(ILogger logger, int workerId, int requests, long milliseconds, long compiled, double seconds);
}
