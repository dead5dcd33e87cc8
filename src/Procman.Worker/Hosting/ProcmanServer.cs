using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Procman.Protocol;
using Procman.Worker.Warmup;

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

        try
        {
            if (agent.Settings.WarmsUp)
            {
                await WarmUpAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            agent.AcceptConnections();
        }
    }

    /// <summary>
    /// Warms the app, or without a warmup_path Kestrel alone (<see cref="WorkerSettings.WarmsServerOnly"/>), before the
    /// worker takes traffic: after Kestrel has started, so that the app sees the server's
    /// addresses as it will for a client (HTTPS redirection reads them once, on its first request), and before the host
    /// finishes starting, which is when the worker says it is ready. Kestrel's listeners accept nothing but the
    /// warm-up's own connections meanwhile (<see cref="WorkerAgent.Accepting"/>, <see cref="WarmupClient"/>).
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var settings = agent.Settings;
        if (agent.WarmupEntrance is not { } entrance)
        {
            return;
        }
        var tls = settings.CertFile is not null;
        var serverOnly = settings.WarmsServerOnly;
        using var client = new WarmupClient(entrance, tls, ProcmanHostConfigurator.HttpProtocolsFor(settings, tls).HasFlag(HttpProtocols.Http1), serverOnly, logger);
        var plan = new WarmupPlan(serverOnly ? [WarmupRequest.ServerPath] : settings.WarmupPaths, settings.WarmupRequests, settings.WarmupTimeout, settings.WarmupTierUpTimeout);
        var report = await new WarmupRunner(TimeProvider.System, client.SendAsync).RunAsync(plan, cancellationToken).ConfigureAwait(false);
        foreach (var failure in report.Failures)
        {
            if (failure.Exception is { } exception)
            {
                WarmupLog.Threw(logger, settings.WorkerId, failure.Count, failure.Sent, failure.Path, exception.GetType().Name, OneLine(exception.Message));
            }
            else
            {
                WarmupLog.Answered(logger, settings.WorkerId, failure.Count, failure.Sent, failure.Path, failure.Status);
            }
        }
        var milliseconds = (long)report.Elapsed.TotalMilliseconds;
        switch (report)
        {
            case { StuckOn: { } path }:
                WarmupLog.TimedOut(logger, settings.WorkerId, settings.WarmupTimeout.TotalSeconds, path, report.Finished);
                break;
            case { TierUp: WarmupTierUp.Quiet } when serverOnly:
                WarmupLog.ServerTieredUp(logger, settings.WorkerId, report.Finished, milliseconds, (long)WarmupRunner.JitQuiet.TotalMilliseconds, report.Compiled);
                break;
            case { TierUp: WarmupTierUp.StillCompiling } when serverOnly:
                WarmupLog.ServerStillCompiling(logger, settings.WorkerId, report.Finished, milliseconds, report.Compiled, settings.WarmupTierUpTimeout.TotalSeconds);
                break;
            case { TierUp: WarmupTierUp.Quiet }:
                WarmupLog.TieredUp(logger, settings.WorkerId, report.Finished, milliseconds, (long)WarmupRunner.JitQuiet.TotalMilliseconds, report.Compiled);
                break;
            case { TierUp: WarmupTierUp.StillCompiling }:
                WarmupLog.StillCompiling(logger, settings.WorkerId, report.Finished, milliseconds, report.Compiled, settings.WarmupTierUpTimeout.TotalSeconds);
                break;
            default:
                WarmupLog.WarmedUp(logger, settings.WorkerId, report.Finished, milliseconds, report.Compiled);
                break;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();
}
