using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Procman.Protocol;

namespace Procman.Worker.Hosting;

/// <summary>
/// Decorates the app's <see cref="IServer"/> (Kestrel) so that the addresses the app chose for itself
/// (<c>--urls</c>, <c>urls</c> in its configuration, <c>ASPNETCORE_URLS</c>) are dropped before the server
/// starts, and names once the endpoints of the app's code that were not bound (<see cref="ProcmanListenerFactory"/>):
/// the worker then listens on procman's inherited sockets only.
/// </summary>
/// <remarks>
/// The web host copies those addresses into <see cref="IServerAddressesFeature"/> just before it starts the
/// server. Left there, Kestrel would still prefer procman's endpoints, but with a warning in every worker.
/// </remarks>
internal sealed class ProcmanServer(IServer inner, ILogger<ProcmanServer> logger, WorkerAgent agent) : IServer
{
    public IFeatureCollection Features => inner.Features;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        if (Features.Get<IServerAddressesFeature>() is { } addresses)
        {
            var own = addresses.Addresses.Where(address => address != WorkerEnvironment.UnattachedUrl).ToArray();
            if (own.Length > 0)
            {
                logger.LogWarning(
                    "procman: ignoring the app's own addresses ({Addresses}); worker {WorkerId} listens only on the sockets procman bound",
                    string.Join(", ", own), agent.Settings.WorkerId);
            }
            addresses.Addresses.Clear();
            addresses.PreferHostingUrls = false;
        }
        await inner.StartAsync(application, cancellationToken).ConfigureAwait(false);

        // Kestrel has asked for every endpoint by now; one line names those of the app's own code.
        if (agent.IgnoredEndpoints is { Count: > 0 } ignored)
        {
            WorkerLog.CodeEndpointsIgnored(logger, string.Join(", ", ignored), agent.Settings.WorkerId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();
}
