using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Procman.Configuration;
using Serilog.Extensions.Logging;

namespace Procman.Control;

/// <summary>
/// admin_bind: Kestrel in the master, serving /metrics (Prometheus), /healthz (the arbiter loop answers),
/// /readyz (enough workers ready, not stopping) and /status (the status JSON). Every answer is taken from
/// one snapshot of the loop, through <see cref="MasterControl"/>.
/// </summary>
internal sealed partial class AdminEndpoint : IAsyncDisposable
{
    // /healthz asks whether the loop answers at all; a loop that takes this long is stuck, not busy.
    private static readonly TimeSpan HealthBound = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;

    private AdminEndpoint(WebApplication app) => _app = app;

    /// <summary>The address Kestrel bound, with the real port when admin_bind asked for port 0.</summary>
    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <exception cref="ProcmanException">The address cannot be bound.</exception>
    public static async Task<AdminEndpoint> StartAsync(BindAddress.Tcp bind, int readyWorkers, MasterControl control, Serilog.ILogger serilog, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddProvider(new SerilogLoggerProvider(serilog));
        // Kestrel's own information events (one per connection and request) would drown the master's log.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            if (bind.Host is "localhost")
            {
                kestrel.ListenLocalhost(bind.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(bind.Host.Trim('[', ']')), bind.Port);
            }
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapGet("/metrics", async context =>
        {
            if (await StatusOrUnavailableAsync(context, control) is { } status)
            {
                context.Response.ContentType = PrometheusText.ContentType;
                await context.Response.WriteAsync(PrometheusText.Render(status), context.RequestAborted);
            }
        });
        app.MapGet("/status", async context =>
        {
            if (await StatusOrUnavailableAsync(context, control) is { } status)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(status, ControlJson.Default.MasterSnapshot), context.RequestAborted);
            }
        });
        app.MapGet("/healthz", async context =>
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            bound.CancelAfter(HealthBound);
            var alive = await AnswersAsync(control, bound.Token);
            await Plain(context, alive ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, alive ? "ok" : "the master's loop does not answer");
        });
        app.MapGet("/readyz", async context =>
        {
            if (await StatusOrUnavailableAsync(context, control) is { } status)
            {
                var (ready, why) = Readiness(status, readyWorkers);
                await Plain(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, why);
            }
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new ProcmanException($"cannot serve admin_bind {bind.Host}:{bind.Port}: {ex.Message}", ExitCodes.BindFailure);
        }
        return new AdminEndpoint(app);
    }

    /// <summary>
    /// 200 once at least <paramref name="readyWorkers"/> workers are ready; never while stopping, nor during the
    /// shutdown delay, when the workers still serve but a load balancer must stop sending new clients.
    /// </summary>
    public static (bool Ready, string Why) Readiness(MasterSnapshot status, int readyWorkers)
    {
        var ready = status.CountIn("ready");
        return status.State is "stopping" or "shutdown-delay"
            ? (false, status.State)
            : ready >= readyWorkers
                ? (true, $"ready: {ready} worker(s)")
                : (false, $"not ready: {ready} worker(s) ready, {readyWorkers} needed");
    }

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(bound.Token);
        await _app.DisposeAsync();
    }

    private static async Task<bool> AnswersAsync(MasterControl control, CancellationToken cancellationToken)
    {
        try
        {
            return await control.StatusAsync(cancellationToken) is not null;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<MasterSnapshot?> StatusOrUnavailableAsync(HttpContext context, MasterControl control)
    {
        var status = await control.StatusAsync(context.RequestAborted);
        if (status is null)
        {
            await Plain(context, StatusCodes.Status503ServiceUnavailable, "the master's loop does not answer");
        }
        return status;
    }

    private static Task Plain(HttpContext context, int code, string text)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
