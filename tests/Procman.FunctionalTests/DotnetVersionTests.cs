using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>
/// The startup hook targets the oldest supported .NET so that it loads into apps of every later version:
/// .NET 8 and 9 apps run as self-contained executables, .NET 10 as a framework-dependent dll.
/// </summary>
public sealed class DotnetVersionTests
{
    [Theory]
    [InlineData("net8.0", 8)]
    [InlineData("net9.0", 9)]
    [InlineData("net10.0", 10)]
    public async Task AppOfEachVersion_Serves_ReloadsWithoutAnError_AndStops(string framework, int major)
    {
        var app = await VersionApps.GetAsync(framework);

        await AppScenario.ServeReloadStopAsync(app, $"ok {major}\n");
    }
}
