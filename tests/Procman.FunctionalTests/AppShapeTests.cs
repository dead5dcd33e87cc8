using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>The ways an app builds its host that procman attaches to, and the one it still refuses.</summary>
public sealed class AppShapeTests
{
    // The legacy test app's own address, from UseUrls in its Program.
    private const int LegacyAppOwnPort = 5980;

    [Fact]
    public async Task LegacyWebHostApp_Serves_ReloadsWithoutAnError_AndStops()
    {
        await AppScenario.ServeReloadStopAsync(Paths.LegacyApp, "legacy ok\n");
    }

    [Fact]
    public async Task LegacyWebHostApp_ListensOnlyOnProcmansSockets_AndNamesItsOwnAddressOnce()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.LegacyApp, 2, "--capture-output");

        using var client = procman.CreateClient();
        Assert.Equal("legacy ok\n", await client.GetStringAsync("/"));
        Assert.Empty(ListeningSockets.OnPort(LegacyAppOwnPort));
        // A worker's output reaches the master on its own pipe, which may be read after the worker said it was ready.
        bool Ignored(MasterEvent e) => e.Id == MasterEvent.WorkerOutput && e.Text("Line").Contains($"ignoring the app's own addresses (http://127.0.0.1:{LegacyAppOwnPort})", StringComparison.Ordinal);
        await procman.WaitForEventAsync(_ => procman.Events.Count(Ignored) >= 2, ProcmanHost.StartTimeout, "each worker to name the address it ignored");
        Assert.Equal(2, procman.Events.Where(Ignored).Select(e => e.Int("Pid")).Distinct().Count());
    }

    [Fact]
    public async Task LegacyWebHostApp_WithHostingStartupsPrevented_IsRefused_WithExitThree()
    {
        await using var procman = ProcmanHost.Start(
            Paths.LegacyApp,
            ["-w", "2"],
            environment: new Dictionary<string, string> { ["ASPNETCORE_PREVENTHOSTINGSTARTUP"] = "true" });

        Assert.Equal(3, await procman.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        // The other worker's own lines as it stops may come after the error: the error is the one line that says why.
        var error = Assert.Single(procman.Output.Split('\n'), line => line.StartsWith("procman: error: ", StringComparison.Ordinal));
        Assert.StartsWith("procman: error: worker ", error);
        Assert.Contains("before procman could attach to the app's host", error);
        Assert.Contains("hosting startups", error);
        Assert.Empty(ListeningSockets.OnPort(LegacyAppOwnPort));
    }
}
