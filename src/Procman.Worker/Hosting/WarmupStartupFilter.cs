using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Procman.Worker.Warmup;

namespace Procman.Worker.Hosting;

/// <summary>
/// The warm-up's own middleware, registered first so that it runs in front of every other (the app's startup filters'
/// included: host filtering would refuse the warm-up's <c>Host: localhost</c>): it keeps the warm-up's requests out of
/// the app's telemetry and answers the server's own warm-up there (<see cref="WarmupRequest.EnterAsync"/>).
/// </summary>
internal sealed class WarmupStartupFilter(WorkerAgent agent) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) => agent.WarmingUp && WarmupRequest.Of(context) is { } warmup
            ? warmup.EnterAsync(context, nextMiddleware)
            : nextMiddleware(context));
        next(app);
    };
}
