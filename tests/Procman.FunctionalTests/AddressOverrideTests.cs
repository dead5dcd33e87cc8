using System.Net.Sockets;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>Workers listen on procman's sockets and nowhere else, whatever the app asks for.</summary>
public sealed class AddressOverrideTests
{
    [Fact]
    public async Task AppAddresses_FromEnvironmentArgumentsAndAppSettings_AreIgnored_WithOneLineEach()
    {
        // The test app's appsettings.json has Kestrel:Endpoints:Http:Url = http://127.0.0.1:5999.
        await using var procman = ProcmanHost.Start(
            Paths.TestApp,
            ["-w", "2"],
            environment: new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:5998", ["ASPNETCORE_HTTP_PORTS"] = "5996" },
            appArguments: ["--urls", "http://127.0.0.1:5997"]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);

        using var client = procman.CreateClient();
        Assert.Equal("ok\n", await client.GetStringAsync("/"));
        foreach (var port in new[] { 5996, 5997, 5998, 5999 })
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync("127.0.0.1", port));
        }

        var output = procman.Output;
        var ignoredVariables = Assert.Single(procman.Events, e => e.Id == MasterEvent.AddressVariablesIgnored);
        Assert.Contains("ASPNETCORE_URLS=http://127.0.0.1:5998", ignoredVariables.Text("Variables"));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=5996", ignoredVariables.Text("Variables"));
        Assert.Equal(2, CountLines(output, "ignoring the app's Kestrel:Endpoints (Http)"));
        Assert.Equal(2, CountLines(output, "ignoring the app's own addresses (http://127.0.0.1:5997)"));
        Assert.DoesNotContain("Overriding address", output);
    }

    [Fact]
    public async Task EndpointsChosenInCode_AreNotBound_AndTwoWorkersServe_WithOneLineEach()
    {
        using var directory = new TempDirectory();
        var ports = FreePorts.Take(3);
        var unixSocket = directory.Combine("app-chose-this.sock");
        await using var procman = ProcmanHost.Start(
            Paths.TestApp,
            ["-w", "2", "--capture-output"],
            environment: new Dictionary<string, string> { ["TESTAPP_CODE_ENDPOINTS"] = $"{ports[0]},{ports[1]},{ports[2]},{unixSocket}" });
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);

        using var client = procman.CreateClient(keepAlive: false);
        var pids = new HashSet<string>();
        for (var i = 0; i < 20 && pids.Count < 2; i++)
        {
            pids.Add(await client.GetStringAsync("/pid"));
        }
        Assert.Equal(2, pids.Count);
        foreach (var port in ports)
        {
            Assert.Empty(ListeningSockets.OnPort(port));
        }
        Assert.False(File.Exists(unixSocket));
        Assert.DoesNotContain(procman.Events, e => e.Id is MasterEvent.WorkerCrashed or MasterEvent.WorkerFailed);

        // A worker's output reaches the master on its own pipe, which may be read after the worker said it was ready.
        static bool Ignored(MasterEvent e) => e.Id == MasterEvent.WorkerOutput && e.Text("Line").Contains("ignoring the endpoints the app chose in code", StringComparison.Ordinal);
        await procman.WaitForEventAsync(_ => procman.Events.Count(Ignored) >= 2, ProcmanHost.StartTimeout, "each worker to name the endpoints it ignored");
        var ignored = procman.Events.Where(Ignored).ToArray();
        Assert.Equal(2, ignored.Length);
        Assert.Equal(2, ignored.Select(e => e.Int("Pid")).Distinct().Count());
        Assert.All(ignored, e =>
        {
            Assert.Contains($"127.0.0.1:{ports[0]}, [::]:{ports[1]}, 127.0.0.1:{ports[2]}, [::1]:{ports[2]}, {unixSocket}", e.Text("Line"));
        });
    }

    private static int CountLines(string output, string text) => output.Split('\n').Count(line => line.Contains(text));
}
