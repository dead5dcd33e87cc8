using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Procman.Worker.Warmup;

namespace Procman.Worker.Hosting;

/// <summary>
/// The middleware procman puts in front of the app's own: access log, trusted-proxy headers, the
/// per-field header limit, <c>Connection: close</c> while draining, and the path base.
/// </summary>
internal sealed class ProcmanStartupFilter(WorkerAgent agent, AccessLog? accessLog) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var settings = agent.Settings;
        if (accessLog is not null)
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var started = Stopwatch.GetTimestamp();
                // Warm-up requests are procman's, not a client's: they stay out of the access log.
                var client = !agent.WarmingUp || WarmupRequest.Of(context) is null;
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    if (client)
                    {
                        accessLog.Write(context, Stopwatch.GetElapsedTime(started));
                    }
                }
            });
        }

        if (settings.ForwardedAllowIps is { } allowed)
        {
            var proxies = new TrustedProxies(allowed, settings.SecureSchemeHeaders);
            app.Use(inner => proxies.Middleware(inner, app.ApplicationServices.GetRequiredService<ILoggerFactory>()));
        }

        if (settings.LimitRequestFieldSize > 0)
        {
            var limit = settings.LimitRequestFieldSize;
            app.Use((context, nextMiddleware) =>
            {
                foreach (var header in context.Request.Headers)
                {
                    // Name, ": " and value, as the field appears on the wire.
                    if (header.Key.Length + 2 + header.Value.Sum(value => value?.Length ?? 0) > limit)
                    {
                        context.Response.StatusCode = StatusCodes.Status431RequestHeaderFieldsTooLarge;
                        return Task.CompletedTask;
                    }
                }
                return nextMiddleware(context);
            });
        }

        app.Use(inner => new RequestAccounting(agent, inner).InvokeAsync);

        if (settings.RootPath is { Length: > 0 } rootPath)
        {
            app.UsePathBase(rootPath);
        }
        next(app);
    };
}
