using System.Text.Json.Nodes;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>A worker's exit is reported from its real wait status, and an app the machine cannot run is named up front.</summary>
public sealed class ExitStatusTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WorkerExiting143OrKilled_IsReportedAsAnExitCodeOrASignal_AsItWas()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2);
        var workers = procman.ReadyWorkers();

        // On a raw socket: HttpClient would retry the GET when the connection closes, and a second worker would exit too.
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, procman.Port);
            await socket.SendAsync("GET /exit?code=143 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray());
            using var timeout = new CancellationTokenSource(EventTimeout);
            while (await socket.ReceiveAsync(new byte[256], timeout.Token) > 0)
            {
            }
        }
        var exited = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed, EventTimeout, "the first crash");
        var killed = workers.Single(pid => pid != exited.Int("Pid"));
        Native.Kill(killed, Native.SigKill);
        var crashes = await procman.WaitForEventsAsync(MasterEvent.WorkerCrashed, 2, EventTimeout);

        Assert.Equal("exit code 143", exited.Text("Exit"));
        Assert.Equal("killed by SIGKILL", crashes.Single(e => e.Int("Pid") == killed).Text("Exit"));
    }

    [Fact]
    public async Task AppNeedingAFrameworkThatIsNotInstalled_ExitsFour_NamingIt_AndStartsNoWorker()
    {
        using var directory = new TempDirectory();
        var app = CopyTestApp(directory, frameworks => frameworks.First(f => f!["name"]!.GetValue<string>() == "Microsoft.AspNetCore.App")!["version"] = "9.0.0");
        await using var procman = ProcmanHost.Start(app, []);

        Assert.Equal(4, await procman.WaitForExitAsync(EventTimeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.StartsWith("procman: error: app '", error);
        Assert.Contains("needs the framework Microsoft.AspNetCore.App 9.0.0", error);
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerStarted);
    }

    [Fact]
    public async Task AppNeedingAnOlderMajor_ServesWhenAllowedToRollForward()
    {
        using var directory = new TempDirectory();
        var app = CopyTestApp(directory, frameworks =>
        {
            foreach (var framework in frameworks)
            {
                framework!["version"] = "9.0.0";
            }
        });
        await using var procman = await ProcmanHost.StartReadyAsync(app, 1, "-e", "DOTNET_ROLL_FORWARD=Major");

        using var client = procman.CreateClient();
        Assert.Equal("ok\n", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task ConsoleAppWithoutAspNetCore_ExitsFour_SayingSo_AndStartsNoWorker()
    {
        using var directory = new TempDirectory();
        var app = CopyTestApp(directory, frameworks =>
        {
            var aspNetCore = frameworks.First(f => f!["name"]!.GetValue<string>() == "Microsoft.AspNetCore.App");
            frameworks.Remove(aspNetCore);
        });
        await using var procman = ProcmanHost.Start(app, []);

        Assert.Equal(4, await procman.WaitForExitAsync(EventTimeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.Contains("is not an ASP.NET Core app", error);
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerStarted);
    }

    /// <summary>A copy of the test app whose runtimeconfig.json frameworks <paramref name="edit"/> changed.</summary>
    private static string CopyTestApp(TempDirectory directory, Action<JsonArray> edit)
    {
        var source = Path.GetDirectoryName(Paths.TestApp)!;
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(directory.Path, Path.GetFileName(file)));
        }
        var app = Path.Combine(directory.Path, Path.GetFileName(Paths.TestApp));
        var runtimeConfig = Path.ChangeExtension(app, ".runtimeconfig.json");
        var document = JsonNode.Parse(File.ReadAllText(runtimeConfig))!;
        edit(document["runtimeOptions"]!["frameworks"]!.AsArray());
        File.WriteAllText(runtimeConfig, document.ToJsonString());
        return app;
    }
}
