using Microsoft.Extensions.Logging;

namespace Procman.Worker.Hosting;

/// <summary>
/// The events a worker logs through the app's own logging, with stable ids
/// from procman's range for worker-side events (see docs/logging.md).
/// </summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "procman: ignoring the endpoints the app chose in code ({Endpoints}); worker {WorkerId} listens only on the sockets procman bound")]
    public static partial void CodeEndpointsIgnored(ILogger logger, string endpoints, int workerId);
}
