using Microsoft.AspNetCore.Http;

namespace Procman.Worker.Hosting;

/// <summary>What procman decides about one request when its response starts.</summary>
internal sealed class ResponseStart(HttpContext context, ConnectionTracker tracker, ConnectionState? connection)
{
    /// <summary>Whether the request is long-lived (a WebSocket, server-sent events, gRPC): counted on its connection until it ends.</summary>
    public bool LongLived { get; set; }

    public Task OnStarting()
    {
        var protocol = context.Request.Protocol;
        if (!HttpProtocol.IsHttp2(protocol) && !HttpProtocol.IsHttp3(protocol)
            && (tracker.IsDraining || (connection is { IsKeepAlive: true } && tracker.TryShed())))
        {
            context.Response.Headers.Connection = "close";
        }
        if (!LongLived && IsStream(context.Response.ContentType))
        {
            LongLived = true;
            connection?.LongLivedStarted();
        }
        return Task.CompletedTask;
    }

    // Most apps answer with a few content types held in constants: the last one that is not a stream is
    // remembered by reference, so that the common response costs no case-insensitive comparison.
    private static string? s_lastNotStream;

    private static bool IsStream(string? contentType)
    {
        if (contentType is null || ReferenceEquals(contentType, s_lastNotStream))
        {
            return false;
        }
        if (contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        s_lastNotStream = contentType;
        return false;
    }
}
