using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Procman.Worker.Warmup;

namespace Procman.Worker.Hosting;

/// <summary>
/// The middleware procman puts in front of the app's own: access log, trusted-proxy headers, the
/// per-field header limit, <c>Connection: close</c> while draining, and the path base.
/// </summary>
internal sealed class ProcmanStartupFilter(WorkerAgent agent, AccessLog? accessLog) : IStartupFilter
{
    private static readonly Func<object, Task> OnResponseStarting = static state => ((ResponseStart)state).OnStarting();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var settings = agent.Settings;
        // Warm-up requests are procman's, not a client's: they stay out of the access log and the request counts.
        var warms = settings.WarmupPaths.Count > 0;
        if (accessLog is not null)
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    if (!(warms && WarmupRequest.Marks(context)))
                    {
                        accessLog.Write(context, Stopwatch.GetElapsedTime(started));
                    }
                }
            });
        }

        if (settings.ForwardedAllowIps is { } allowed)
        {
            UseTrustedProxyHeaders(app, allowed, settings.SecureSchemeHeaders);
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

        app.Use(async (context, nextMiddleware) =>
        {
            if (warms && WarmupRequest.Marks(context))
            {
                await nextMiddleware(context);
                return;
            }
            var request = agent.Requests.Start();
            var connection = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ConnectionState.ItemKey, out var item) == true
                ? item as ConnectionState
                : null;
            connection?.RequestStarted();
            if (HttpProtocol.IsHttp2(context.Request.Protocol))
            {
                connection?.MarkMultiplexed();
            }
            var start = new ResponseStart(context, agent.Connections, connection);
            // An upgrade (a WebSocket over HTTP/1.1, or over HTTP/2 with an extended CONNECT) lasts from its request on;
            // a stream of events or a gRPC call is known from its response. The app's WebSocket middleware runs after
            // this one, so the upgrade is read from Kestrel's own features.
            start.LongLived = context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
                || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;
            if (start.LongLived)
            {
                connection?.LongLivedStarted();
            }
            // Checked when the response starts, not when the request arrives: a request already in
            // flight when the drain begins must close its connection too.
            context.Response.OnStarting(OnResponseStarting, start);
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                if (start.LongLived)
                {
                    connection?.LongLivedEnded();
                }
                connection?.RequestEnded();
                agent.Requests.End(request);
            }
        });

        if (settings.RootPath is { Length: > 0 } rootPath)
        {
            app.UsePathBase(rootPath);
        }
        next(app);
    };

    private static void UseTrustedProxyHeaders(IApplicationBuilder app, string allowed, IReadOnlyDictionary<string, string> secureSchemeHeaders)
    {
        var trustAll = allowed.Trim() == "*";
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in allowed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(item, out var address))
            {
                addresses.Add(address);
            }
            else if (System.Net.IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
        }
        bool IsTrusted(IPAddress? remote)
        {
            if (trustAll)
            {
                return true;
            }
            if (remote is null)
            {
                return false;
            }
            var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            return addresses.Contains(address) || networks.Any(network => network.Contains(address));
        }

        if (secureSchemeHeaders.Count > 0)
        {
            // Gunicorn's secure_scheme_headers: any one of these, from a trusted proxy, means HTTPS. Checked
            // before the forwarded headers replace the remote address with the client's.
            app.Use((context, nextMiddleware) =>
            {
                if (IsTrusted(context.Connection.RemoteIpAddress))
                {
                    foreach (var (header, value) in secureSchemeHeaders)
                    {
                        if (string.Equals(context.Request.Headers[header].ToString(), value, StringComparison.OrdinalIgnoreCase))
                        {
                            context.Request.Scheme = "https";
                            break;
                        }
                    }
                }
                return nextMiddleware(context);
            });
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
        options.KnownNetworks.Clear();
        options.KnownProxies.Clear();
        if (!trustAll)
        {
            addresses.ForEach(options.KnownProxies.Add);
            networks.ForEach(network => options.KnownNetworks.Add(new Microsoft.AspNetCore.HttpOverrides.IPNetwork(network.BaseAddress, network.PrefixLength)));
        }
        app.UseForwardedHeaders(options);
    }
}
