using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Procman.Protocol;

namespace Procman.Worker.Hosting;

/// <summary>
/// Makes an app's host listen on procman's sockets and nowhere else, and wires in the drain and readiness
/// machinery. Applied after every registration of the app's own, so it has the last word.
/// </summary>
internal static class ProcmanHostConfigurator
{
    private const string KestrelSection = "Kestrel";
    private const string EndpointsSection = "Endpoints";
    private const string H1 = "h1";
    private const string H2 = "h2";

    /// <summary>For a host built with <c>WebApplication</c> or <c>Host</c>: called from its <c>HostBuilding</c> event.</summary>
    public static void Apply(IHostBuilder builder, WorkerAgent agent)
        => builder.ConfigureServices((_, services) => Register(services, agent));

    /// <summary>
    /// For the legacy <c>WebHostBuilder</c>: called from procman's hosting startup while the builder builds, after
    /// every <c>ConfigureServices</c> of the app's Program and before its <c>Startup.ConfigureServices</c>, which
    /// registers the app's own services, not Kestrel's.
    /// </summary>
    public static void Apply(IWebHostBuilder builder, WorkerAgent agent)
        => builder.ConfigureServices(services => Register(services, agent));

    private static void Register(IServiceCollection services, WorkerAgent agent)
    {
        services.AddSingleton(agent);
        Decorate<IConnectionListenerFactory>(services, (inner, _) => new ProcmanListenerFactory(inner, agent));
        Decorate<IServer>(services, (inner, provider) => new ProcmanServer(inner, provider.GetRequiredService<ILogger<ProcmanServer>>(), agent));
        var accessLog = agent.Settings.AccessLog is { } destination
            ? new AccessLog(destination, agent.Settings.AccessLogFormat)
            : null;
        agent.AccessLog = accessLog;
        services.AddTransient<IStartupFilter>(_ => new ProcmanStartupFilter(agent, accessLog));
        if (agent.Settings.WarmsUp)
        {
            // The host applies its startup filters in the order registered, the first outermost.
            services.Insert(0, ServiceDescriptor.Transient<IStartupFilter>(_ => new WarmupStartupFilter(agent)));
        }
        services.Configure<SocketTransportOptions>(options => options.Backlog = agent.Settings.Backlog);
        services.AddOptions<KestrelServerOptions>().PostConfigure<IConfiguration, ILoggerFactory>((options, configuration, loggers) =>
            ListenOnInheritedSockets(options, configuration, loggers.CreateLogger(WorkerLog.Category), agent));
        services.AddHostedService<WorkerLifetimeService>();
    }

    /// <summary>Replaces the last registration of <typeparamref name="T"/> with a decorator around it.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> decorate)
        where T : class
    {
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(T) && !services[i].IsKeyedService)
            {
                index = i;
            }
        }
        if (index < 0)
        {
            return;
        }
        var original = services[index];
        services[index] = ServiceDescriptor.Singleton<T>(provider => decorate(Resolve<T>(original, provider), provider));
    }

    private static T Resolve<T>(ServiceDescriptor descriptor, IServiceProvider provider)
    {
        if (descriptor.ImplementationInstance is T instance)
        {
            return instance;
        }
        if (descriptor.ImplementationFactory is not null)
        {
            return (T)descriptor.ImplementationFactory(provider);
        }
        return (T)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
    }

    private static void ListenOnInheritedSockets(KestrelServerOptions options, IConfiguration configuration, ILogger logger, WorkerAgent agent)
    {
        var kestrel = configuration.GetSection(KestrelSection);
        var endpoints = kestrel.GetSection(EndpointsSection).GetChildren().Select(e => e.Key).ToList();
        if (endpoints.Count > 0)
        {
            // Configured endpoints are bound in addition to code endpoints: the second worker would fail
            // with address-in-use. Keep the rest of the app's Kestrel section (limits, defaults).
            var kept = kestrel.AsEnumerable(makePathsRelative: true)
                .Where(pair => !pair.Key.StartsWith(EndpointsSection, StringComparison.OrdinalIgnoreCase));
            options.Configure(new ConfigurationBuilder().AddInMemoryCollection(kept).Build());
            logger.LogWarning(
                "procman: ignoring the app's Kestrel:Endpoints ({Endpoints}); worker {WorkerId} listens only on the sockets procman bound",
                string.Join(", ", endpoints), agent.Settings.WorkerId);
        }

        var settings = agent.Settings;
        if (settings.KeepAlive is { } keepAlive)
        {
            options.Limits.KeepAliveTimeout = keepAlive;
        }
        if (settings.MaxConnections is { } maxConnections)
        {
            options.Limits.MaxConcurrentConnections = maxConnections;
        }
        if (settings.LimitRequestLine is { } requestLine)
        {
            options.Limits.MaxRequestLineSize = requestLine == 0 ? int.MaxValue : requestLine;
        }
        if (settings.LimitRequestFields is { } fields)
        {
            options.Limits.MaxRequestHeaderCount = fields;
        }
        var certificate = settings.CertFile is { } certFile ? TlsCertificate.Load(certFile, settings.KeyFile) : null;
        var protocols = HttpProtocolsFor(settings, tls: certificate is not null);
        // Cleartext HTTP/1.1 and prior-knowledge HTTP/2 on one socket: Kestrel serves one protocol per cleartext
        // endpoint, so HTTP/2 gets an endpoint of its own, fed per connection from procman's sockets.
        var h2c = certificate is null && settings.Http2PriorKnowledge && settings.HttpProtocols.Contains(H2) && settings.HttpProtocols.Contains(H1);
        if (h2c)
        {
            options.Listen(H2cEndPoint.Instance, listen => listen.Protocols = HttpProtocols.Http2);
        }

        foreach (var fd in settings.ListenFds)
        {
            options.ListenHandle((ulong)fd, listen =>
            {
                listen.Protocols = protocols;
                listen.Use(next => async connection =>
                {
                    var state = new ConnectionState(connection, agent.Connections);
                    connection.Items[ConnectionState.ItemKey] = state;
                    agent.Connections.Opened(state);
                    try
                    {
                        await next(connection).ConfigureAwait(false);
                    }
                    finally
                    {
                        agent.Connections.Closed(state);
                    }
                });
                if (certificate is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = certificate,
                        OnAuthenticate = (_, ssl) => ssl.ApplicationProtocols = InPreferenceOrder(ssl.ApplicationProtocols, settings.HttpProtocols),
                    });
                }
                else if (h2c)
                {
                    listen.Use(next => connection => PrefaceRouter.RouteAsync(connection, next, agent.H2c));
                }
            });
        }
    }

    /// <summary>
    /// What Kestrel serves on each of procman's sockets: with TLS, the protocols http_protocols names (chosen by ALPN);
    /// without, HTTP/1.1, or HTTP/2 alone when http2_cleartext is prior-knowledge and h2 is the only protocol named.
    /// With both named and prior-knowledge, the socket serves HTTP/1.1 and <see cref="PrefaceRouter"/> takes the HTTP/2
    /// connections away from it.
    /// </summary>
    internal static HttpProtocols HttpProtocolsFor(WorkerSettings settings, bool tls)
    {
        var h1 = settings.HttpProtocols.Contains(H1);
        var h2 = settings.HttpProtocols.Contains(H2);
        if (tls)
        {
            return (h1, h2) switch
            {
                (true, true) => HttpProtocols.Http1AndHttp2,
                (false, true) => HttpProtocols.Http2,
                _ => HttpProtocols.Http1,
            };
        }
        return settings.Http2PriorKnowledge && h2 && !h1 ? HttpProtocols.Http2 : HttpProtocols.Http1;
    }

    /// <summary>Kestrel offers h2 before http/1.1 in ALPN; http_protocols gives the order of preference.</summary>
    private static List<SslApplicationProtocol>? InPreferenceOrder(List<SslApplicationProtocol>? offered, IReadOnlyList<string> preference)
    {
        int Rank(SslApplicationProtocol protocol)
        {
            var name = protocol == SslApplicationProtocol.Http2 ? H2 : protocol == SslApplicationProtocol.Http11 ? H1 : null;
            var index = name is null ? -1 : preference.ToList().IndexOf(name);
            return index < 0 ? int.MaxValue : index;
        }
        return offered?.OrderBy(Rank).ToList();
    }
}
