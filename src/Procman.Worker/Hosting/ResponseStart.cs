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

    private static bool IsStream(string? contentType)
        => contentType is not null
            && (contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)
                || contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase));
}
