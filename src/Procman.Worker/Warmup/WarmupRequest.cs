using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Procman.Worker.Warmup;

/// <summary>
/// The mark of the warm-up's connections, among their features: it tells procman's own middleware to leave their
/// requests out of the access log, the request counts and the app's telemetry, and it keeps what the app threw on the
/// last of them.
/// </summary>
/// <remarks>
/// A connection's features are its requests' too (Kestrel looks a request's features up in its connection's when the
/// request has none of the type), so while the warm-up lasts one lookup per request tells a warm-up request from a
/// client's (<see cref="Hosting.WorkerAgent.WarmingUp"/>).
/// </remarks>
/// <param name="answersItself">
/// Whether procman answers the requests itself, in front of the app, which never sees them: the server's own warm-up,
/// without a warmup_path.
/// </param>
internal sealed class WarmupRequest(bool answersItself)
{
    /// <summary>The path of the server's own warm-up requests; it names no route of the app, which never sees them.</summary>
    public const string ServerPath = "/.procman/warmup";

    private static readonly byte[] ServerAnswer = "procman warm-up\n"u8.ToArray();

    /// <summary>
    /// The setter of <c>IHttpMetricsTagsFeature.MetricsDisabled</c>, which ASP.NET Core 9 added (the worker is built
    /// against 8); null on 8, whose hosting counts every request in its metrics.
    /// </summary>
    private static readonly Action<IHttpMetricsTagsFeature, bool>? DisableMetrics =
        typeof(IHttpMetricsTagsFeature).GetProperty("MetricsDisabled") is { PropertyType: var type, SetMethod: { } setter } && type == typeof(bool)
            ? setter.CreateDelegate<Action<IHttpMetricsTagsFeature, bool>>()
            : null;

    private Exception? _thrown;

    /// <summary>The mark on <paramref name="context"/>'s connection, or null for a client's request.</summary>
    public static WarmupRequest? Of(HttpContext context) => context.Features.Get<WarmupRequest>();

    /// <summary>
    /// In front of the whole pipeline, the app's startup filters' middleware included (host filtering, say): leaves
    /// the request out of the app's telemetry, and for the server's own warm-up answers it with a short text, as an
    /// app's small response is written, so that nothing of the app runs.
    /// </summary>
    public Task EnterAsync(HttpContext context, RequestDelegate next)
    {
        Unobserved(context);
        if (answersItself)
        {
            var response = context.Response;
            response.ContentType = "text/plain";
            response.ContentLength = ServerAnswer.Length;
            return response.Body.WriteAsync(ServerAnswer, context.RequestAborted).AsTask();
        }
        return next(context);
    }

    /// <summary>Runs the app for a warm-up request, keeping what it throws for <see cref="TakeThrown"/>.</summary>
    public async Task RunAppAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _thrown = ex;
            throw;
        }
    }

    /// <summary>
    /// Leaves the request out of the app's telemetry: its trace (the hosting's activity marked not recorded, which
    /// exporters drop and parent-based samplers pass on to what the app does within it) and, on ASP.NET Core 9 and
    /// later, the hosting's request metrics.
    /// </summary>
    private static void Unobserved(HttpContext context)
    {
        var features = context.Features;
        if (features.Get<IHttpActivityFeature>()?.Activity is { } activity)
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
        }
        if (DisableMetrics is { } disable && features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            disable(metrics, true);
        }
    }

    /// <summary>What the app threw on the request answered last, if it threw; cleared for the next one.</summary>
    public Exception? TakeThrown() => Interlocked.Exchange(ref _thrown, null);
}
