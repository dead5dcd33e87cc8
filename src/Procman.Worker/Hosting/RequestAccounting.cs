using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Procman.Worker.Warmup;

namespace Procman.Worker.Hosting;

/// <summary>
/// The middleware that counts every request of a client: served and in flight for the heartbeat, per connection for
/// the drain and balance, long-lived ones for the graceful timeout; and that asks for <c>Connection: close</c> when the
/// response starts while the worker drains or sheds connections.
/// </summary>
/// <remarks>
/// It runs on every request in front of the app, so it costs no state machine when the app's pipeline completes at
/// once, and it looks up only the features the request's protocol can have (an extended CONNECT is HTTP/2 or HTTP/3),
/// through the feature collection's indexer: a generic virtual <c>Get&lt;T&gt;</c> costs a dispatch lookup per call.
/// </remarks>
internal sealed class RequestAccounting(WorkerAgent agent, RequestDelegate next)
{
    private static readonly Func<object, Task> OnResponseStarting = static state => ((ResponseStart)state).OnStarting();

    public Task InvokeAsync(HttpContext context)
    {
        // Warm-up requests are procman's, not a client's: they stay out of the request counts.
        if (agent.WarmingUp && WarmupRequest.Of(context) is { } warmup)
        {
            return warmup.RunAppAsync(context, next);
        }
        var slot = agent.Requests.Start();
        var features = context.Features;
        var connection = (features[typeof(IConnectionItemsFeature)] as IConnectionItemsFeature)?.Items.TryGetValue(ConnectionState.ItemKey, out var item) == true
            ? item as ConnectionState
            : null;
        connection?.RequestStarted();
        var protocol = context.Request.Protocol;
        var http2 = HttpProtocol.IsHttp2(protocol);
        if (http2)
        {
            connection?.MarkMultiplexed();
        }
        var start = new ResponseStart(context, agent.Connections, connection);
        // An upgrade (a WebSocket over HTTP/1.1, or over HTTP/2 with an extended CONNECT) lasts from its request on;
        // a stream of events or a gRPC call is known from its response. The app's WebSocket middleware runs after
        // this one, so the upgrade is read from Kestrel's own features.
        start.LongLived = (features[typeof(IHttpUpgradeFeature)] as IHttpUpgradeFeature)?.IsUpgradableRequest == true
            || ((http2 || HttpProtocol.IsHttp3(protocol)) && (features[typeof(IHttpExtendedConnectFeature)] as IHttpExtendedConnectFeature)?.IsExtendedConnect == true);
        if (start.LongLived)
        {
            connection?.LongLivedStarted();
        }
        // Checked when the response starts, not when the request arrives: a request already in
        // flight when the drain begins must close its connection too.
        context.Response.OnStarting(OnResponseStarting, start);
        Task pipeline;
        try
        {
            pipeline = next(context);
        }
        catch
        {
            Ended(start, connection, slot);
            throw;
        }
        if (pipeline.IsCompleted)
        {
            Ended(start, connection, slot);
            return pipeline;
        }
        return EndWhenDoneAsync(pipeline, start, connection, slot);
    }

    private async Task EndWhenDoneAsync(Task pipeline, ResponseStart start, ConnectionState? connection, int slot)
    {
        try
        {
            await pipeline;
        }
        finally
        {
            Ended(start, connection, slot);
        }
    }

    private void Ended(ResponseStart start, ConnectionState? connection, int slot)
    {
        if (start.LongLived)
        {
            connection?.LongLivedEnded();
        }
        connection?.RequestEnded();
        agent.Requests.End(slot);
    }
}
