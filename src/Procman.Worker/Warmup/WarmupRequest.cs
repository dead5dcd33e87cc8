using Microsoft.AspNetCore.Http;

namespace Procman.Worker.Warmup;

/// <summary>
/// The mark of the warm-up's connections, among their features: it tells procman's own middleware to leave their
/// requests out of the access log and the request counts, and it keeps what the app threw on the last of them.
/// </summary>
/// <remarks>
/// A connection's features are its requests' too (Kestrel looks a request's features up in its connection's when the
/// request has none of the type), so one lookup per request tells a warm-up request from a client's.
/// </remarks>
internal sealed class WarmupRequest
{
    private Exception? _thrown;

    /// <summary>The mark on <paramref name="context"/>'s connection, or null for a client's request.</summary>
    public static WarmupRequest? Of(HttpContext context) => context.Features.Get<WarmupRequest>();

    /// <summary>Runs the app for a warm-up request, keeping what it throws for <see cref="TakeThrown"/>.</summary>
    public async Task RunAsync(HttpContext context, RequestDelegate next)
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

    /// <summary>What the app threw on the request answered last, if it threw; cleared for the next one.</summary>
    public Exception? TakeThrown() => Interlocked.Exchange(ref _thrown, null);
}
