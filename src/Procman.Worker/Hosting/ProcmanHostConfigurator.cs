using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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

        foreach (var fd in settings.ListenFds)
        {
            options.ListenHandle((ulong)fd, listen =>
            {
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
                    listen.UseHttps(certificate);
                }
            });
        }
    }
}
