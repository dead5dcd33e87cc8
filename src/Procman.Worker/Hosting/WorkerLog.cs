using Microsoft.Extensions.Logging;

namespace Procman.Worker.Hosting;

/// <summary>
/// The events a worker logs through the app's own logging, with stable ids
/// from procman's range for worker-side events (see docs/logging.md).
/// </summary>
internal static partial class WorkerLog
{
    /// <summary>The category of the events the worker logs outside Kestrel's own services.</summary>
    public const string Category = "Procman.Worker";

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "procman: ignoring the endpoints the app chose in code ({Endpoints}); worker {WorkerId} listens only on the sockets procman bound")]
    public static partial void CodeEndpointsIgnored(ILogger logger, string endpoints, int workerId);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} is draining: it accepts no new connection and closes its {Open} open one(s) as they finish")]
    public static partial void Draining(ILogger logger, int workerId, int open);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information,
        Message = "procman: worker {WorkerId} has only long-lived requests left on its {Open} connection(s) (WebSockets, event streams, gRPC); telling the app it is stopping")]
    public static partial void StoppingForLongLived(ILogger logger, int workerId, int open);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning,
        Message = "procman: worker {WorkerId} reached the graceful timeout while draining; closing its {Open} connection(s) still open")]
    public static partial void DrainTimedOut(ILogger logger, int workerId, int open);
}
