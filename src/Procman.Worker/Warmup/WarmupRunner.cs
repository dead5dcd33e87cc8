using Microsoft.AspNetCore.Hosting.Server;

namespace Procman.Worker.Warmup;

/// <summary>
/// Sends the warm-up requests through the app's own <see cref="IHttpApplication{TContext}"/>, the object Kestrel
/// hands every request it parses to, one after the other and within one bound for them all.
/// </summary>
/// <remarks>
/// In process rather than over a socket: a request on a shared listening socket may be accepted by another worker,
/// and a private loopback socket would be a port of procman's own in every worker. Through the application object
/// the requests run everything the app runs for a client from the hosting layer on (its diagnostics, middleware,
/// routing, endpoints, and the JIT of all of it), while Kestrel's own connection code, already warm from
/// procman's start, is left out. A request that outlives the bound is told through <c>RequestAborted</c> and left to
/// finish in the background; the worker does not wait for it.
/// </remarks>
internal sealed class WarmupRunner(TimeProvider time, bool https)
{
    /// <summary>Sends <paramref name="requests"/> requests to each of <paramref name="paths"/>, for at most <paramref name="bound"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="stopping"/> was cancelled: the host is stopping.</exception>
    public async Task<WarmupReport> RunAsync<TContext>(IHttpApplication<TContext> application, IReadOnlyList<string> paths, int requests, TimeSpan bound, CancellationToken stopping)
        where TContext : notnull
    {
        var started = time.GetTimestamp();
        // Not disposed: a request left running past the bound may still hold their token.
        var timeout = new CancellationTokenSource(bound, time);
        var aborted = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        var failures = new List<WarmupFailure>();
        var finished = 0;
        foreach (var path in paths)
        {
            WarmupFailure? failure = null;
            for (var i = 0; i < requests; i++)
            {
                // On the thread pool: an endpoint that blocks its thread must not block the bound's wait as well.
                var request = Task.Run(() => SendAsync(application, path, aborted.Token), CancellationToken.None);
                try
                {
                    await request.WaitAsync(aborted.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested && timeout.IsCancellationRequested)
                {
                    AddIfAny(failures, failure);
                    return new WarmupReport(finished, failures, time.GetElapsedTime(started), path);
                }
                finished++;
                var (status, exception) = request.Result;
                if (exception is not null || status is < 200 or > 299)
                {
                    failure = failure is null ? new WarmupFailure(path, 1, status, exception) : failure with { Count = failure.Count + 1 };
                }
            }
            AddIfAny(failures, failure);
        }
        timeout.Dispose();
        aborted.Dispose();
        return new WarmupReport(finished, failures, time.GetElapsedTime(started), null);
    }

    private static void AddIfAny(List<WarmupFailure> failures, WarmupFailure? failure)
    {
        if (failure is not null)
        {
            failures.Add(failure);
        }
    }

    /// <summary>One request, in the order Kestrel runs one: the app, the end of the response, the completion callbacks, the context's disposal.</summary>
    private async Task<(int Status, Exception? Exception)> SendAsync<TContext>(IHttpApplication<TContext> application, string path, CancellationToken aborted)
        where TContext : notnull
    {
        var response = new WarmupResponse();
        var context = application.CreateContext(WarmupRequest.Features(path, https, response, aborted));
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context).ConfigureAwait(false);
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        try
        {
            await response.FireCompletedAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure ??= ex;
        }
        application.DisposeContext(context, failure);
        return (failure is null ? response.StatusCode : 500, failure);
    }
}
