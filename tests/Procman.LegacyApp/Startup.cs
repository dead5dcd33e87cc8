using System.Globalization;

namespace Procman.LegacyApp;

/// <summary>The Startup class of a legacy app: services, then the request pipeline.</summary>
internal sealed class Startup
{
    public static void ConfigureServices(IServiceCollection services) => services.AddRouting();

    public static void Configure(IApplicationBuilder app)
    {
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGet("/", () => "legacy ok\n");
            endpoints.MapGet("/pid", () => Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            endpoints.MapGet("/slow", async (int ms) =>
            {
                await Task.Delay(ms);
                return $"slept {ms} ms in {Environment.ProcessId}";
            });
        });
    }
}
