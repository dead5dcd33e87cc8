using Microsoft.AspNetCore.Hosting;

[assembly: HostingStartup(typeof(Procman.Worker.Hosting.LegacyHosting))]

namespace Procman.Worker.Hosting;

/// <summary>
/// Attaches procman to an app built on the legacy <c>WebHost.CreateDefaultBuilder(args).UseStartup&lt;Startup&gt;()</c>
/// or <c>new WebHostBuilder()</c>, which raises no <c>HostBuilding</c> event: procman's assembly is named as a
/// hosting startup, and <c>WebHostBuilder.Build</c> calls <see cref="Configure"/> with the builder itself.
/// </summary>
/// <remarks>
/// <c>WebHostBuilder</c> reads <c>ASPNETCORE_HOSTINGSTARTUPASSEMBLIES</c> from the environment when it is created,
/// loads each named assembly by name when it builds, and creates every type its <c>[HostingStartup]</c> attributes
/// name. The startup hook appends procman's assembly to that variable before the app's <c>Main</c> runs, and puts
/// the app's own value back once procman has attached, so processes the app starts do not inherit it. Hosts built
/// with <c>WebApplication</c> or <c>Host</c> run hosting startups too, on a builder of their own: those are left to
/// the <c>HostBuilding</c> event. A legacy app that turns hosting startups off (<c>preventHostingStartup</c>)
/// still cannot be attached to, and fails on the address procman gives it instead of opening a port of its own.
/// </remarks>
internal sealed class LegacyHosting : IHostingStartup
{
    private const string Variable = "ASPNETCORE_HOSTINGSTARTUPASSEMBLIES";

    // The legacy builder sets its own default shutdown timeout (5 s) from ASPNETCORE_-prefixed settings only.
    private const string ShutdownTimeout = "ASPNETCORE_SHUTDOWNTIMEOUTSECONDS";
    private const string HostShutdownTimeout = "DOTNET_shutdownTimeoutSeconds";

    // The runtime creates this type by reflection, so the agent can reach it through nothing but a static:
    // set once, by the startup hook, before the app's Main runs.
    private static WorkerAgent? _agent;
    private static string? _appValue;

    public static void Register(WorkerAgent agent)
    {
        _agent = agent;
        _appValue = Environment.GetEnvironmentVariable(Variable);
        var own = typeof(LegacyHosting).Assembly.GetName().Name;
        Environment.SetEnvironmentVariable(Variable, string.IsNullOrEmpty(_appValue) ? own : $"{_appValue};{own}");
        if (Environment.GetEnvironmentVariable(ShutdownTimeout) is null && Environment.GetEnvironmentVariable(HostShutdownTimeout) is { } seconds)
        {
            Environment.SetEnvironmentVariable(ShutdownTimeout, seconds);
        }
    }

    /// <summary>Puts the app's own hosting startups back, once procman has attached to its host.</summary>
    public static void Restore() => Environment.SetEnvironmentVariable(Variable, _appValue);

    public void Configure(IWebHostBuilder builder)
    {
        // WebHostBuilder is marked obsolete from .NET 10 on, but it is what such an app builds with.
#pragma warning disable CS0618
        if (builder is WebHostBuilder)
#pragma warning restore CS0618
        {
            _agent?.OnWebHostBuilding(builder);
        }
    }
}
