using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Procman.Worker.Hosting;

/// <summary>
/// Puts <c>Connection: close</c> on every HTTP/1.x response once the worker drains, so keep-alive clients
/// close their connection after a response instead of racing their next request against the worker's exit.
/// </summary>
internal sealed class DrainStartupFilter(ConnectionTracker connections) : IStartupFilter
{
    private static readonly Func<object, Task> CloseIfDraining = static state =>
    {
        var (context, tracker) = ((HttpContext, ConnectionTracker))state;
        if (tracker.IsDraining && !HttpProtocol.IsHttp2(context.Request.Protocol) && !HttpProtocol.IsHttp3(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }
        return Task.CompletedTask;
    };

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            // Checked when the response starts, not when the request arrives: a request already in
            // flight when the drain begins must close its connection too.
            context.Response.OnStarting(CloseIfDraining, (context, connections));
            return nextMiddleware(context);
        });
        next(app);
    };
}
