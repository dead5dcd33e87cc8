using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Procman.Configuration;
using Procman.Listeners;
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

    // Kestrel listens again with its own backlog (512); the same, so nothing changes when it does.
    private const int Backlog = 512;

    private readonly WebApplication _app;
    private readonly Listener _listener;
    private Task _started = Task.CompletedTask;
    private Task? _handedOver;

    private AdminEndpoint(WebApplication app, Listener listener)
    {
        _app = app;
        _listener = listener;
    }

    /// <summary>The address the socket is bound to, with the real port when admin_bind asked for port 0.</summary>
    public string Address => $"http://{_listener.Display}";

    /// <summary>The listening socket's fd, which a new master inherits on SIGUSR2.</summary>
    public int Fd => _listener.Fd;

    /// <summary>
    /// Binds admin_bind: procman binds the socket itself and gives Kestrel its fd, so that the socket can be handed
    /// to a new master (SIGUSR2) and closed here without Kestrel shutting it down under that master.
    /// </summary>
    /// <exception cref="ProcmanException">The address cannot be bound.</exception>
    public static Listener Bind(BindAddress.Tcp bind)
    {
        try
        {
            return ListenerSet.BindPrivate(bind, Backlog);
        }
        catch (ProcmanException ex)
        {
            throw new ProcmanException($"admin_bind: {ex.Message}", ex.ExitCode);
        }
    }

    /// <summary>Builds the endpoint on <paramref name="listener"/>; it serves once <see cref="StartAsync"/> or <see cref="StartWhen"/> says so.</summary>
    public static AdminEndpoint Create(Listener listener, int readyWorkers, MasterControl control, Serilog.ILogger serilog)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddProvider(new SerilogLoggerProvider(serilog));
        // Kestrel's own information events (one per connection and request) would drown the master's log.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenHandle((ulong)listener.Fd));
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
                await context.Response.WriteAsync(ControlCodec.Write(status), context.RequestAborted);
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
        return new AdminEndpoint(app, listener);
    }

    /// <exception cref="ProcmanException">Kestrel cannot serve on the socket.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new ProcmanException($"cannot serve admin_bind {_listener.Display}: {ex.Message}", ExitCodes.BindFailure);
        }
    }

    /// <summary>
    /// Serves once <paramref name="gate"/> completes: a new master (SIGUSR2) answers only once the old one has let
    /// go, so that a probe never reads the readiness of a master still booting.
    /// </summary>
    public void StartWhen(Task gate, Action<string> started)
        => _started = gate.ContinueWith(async _ =>
        {
            await StartAsync(CancellationToken.None);
            started(Address);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();

    /// <summary>A new master serves the socket now: stop serving it here, and close it without a shutdown(2) (<see cref="Listener.HandOver"/>).</summary>
    public void HandOver()
    {
        _listener.HandOver();
        _handedOver = StopAsync();
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
        try
        {
            await _started;
        }
        catch (ProcmanException)
        {
            // Logged where it was started; nothing is served, nothing to stop.
        }
        await (_handedOver ?? StopAsync());
        await _app.DisposeAsync();
        _listener.Dispose();
    }

    private async Task StopAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(bound.Token);
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
