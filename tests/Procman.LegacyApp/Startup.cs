using System.Globalization;

namespace Procman.LegacyApp;

/// <summary>The Startup class of a legacy app: services, then the request pipeline.</summary>
internal sealed class Startup
{
    // Calls to /warm, the target of procman's warm-up in the tests; /warm/count reads it back.
    private static int _warmCalls;

    public static void ConfigureServices(IServiceCollection services) => services.AddRouting();

    public static void Configure(IApplicationBuilder app)
    {
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGet("/", () => "legacy ok\n");
            endpoints.MapGet("/warm", () => Interlocked.Increment(ref _warmCalls).ToString(CultureInfo.InvariantCulture));
            endpoints.MapGet("/warm/count", () => Volatile.Read(ref _warmCalls).ToString(CultureInfo.InvariantCulture));
            endpoints.MapGet("/pid", () => Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            endpoints.MapGet("/slow", async (int ms) =>
            {
                await Task.Delay(ms);
                return $"slept {ms} ms in {Environment.ProcessId}";
            });
        });
    }
}
