using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>procman started by Debian's systemd-socket-activate, which passes sockets as systemd does.</summary>
public sealed class SocketActivationTests
{
    private const int SocketActivationEvent = 122;

    // What systemd-socket-activate prints once its socket listens: connecting earlier would be refused.
    private const string ActivatorListening = "Listening on";

    [Fact]
    public async Task TcpSocket_WithNoBindConfigured_IsTheBind_AndTheConnectionThatActivatedProcmanIsServed()
    {
        var port = LoopbackPort.Free();
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "2"], wrapper: ["systemd-socket-activate", "-l", $"127.0.0.1:{port}", "--fdname=web"]);
        await procman.WaitForOutputAsync(ActivatorListening, ProcmanHost.StartTimeout);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

        // Nothing runs procman before this request arrives: it waits in the socket's queue while procman boots.
        Assert.Equal("ok\n", await client.GetStringAsync("/"));

        var adopted = await procman.WaitForEventAsync(e => e.Id == SocketActivationEvent, ProcmanHost.StartTimeout, "the socket activation line");
        Assert.Contains($"127.0.0.1:{port} (systemd fd 3 (web))", adopted.Text("Sockets"));
        Assert.Contains("none configured", adopted.Text("Use"));
        var listening = procman.Events.Where(e => e.Id == MasterEvent.Listening).Select(e => e.Text("Address")).ToArray();
        Assert.Equal([$"127.0.0.1:{port} (systemd fd 3 (web))"], listening);
    }

    [Fact]
    public async Task TcpSocket_IsKeptAcrossAReload()
    {
        var port = LoopbackPort.Free();
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", ProcmanHost.NoWarmup], wrapper: ["systemd-socket-activate", "-l", $"127.0.0.1:{port}"]);
        await procman.WaitForOutputAsync(ActivatorListening, ProcmanHost.StartTimeout);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        var before = await client.GetStringAsync("/pid");

        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, ProcmanHost.StartTimeout);
        await procman.WaitForEventsAsync(MasterEvent.WorkerExited, 1, ProcmanHost.StartTimeout);

        using var fresh = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        Assert.NotEqual(before, await fresh.GetStringAsync("/pid"));
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.ReloadFailed || e.Id == MasterEvent.ReloadRefused);
    }

    [Fact]
    public async Task UnixSocket_MatchingAConfiguredBind_IsServedInsteadOfBound_AndTheOtherBindIsBound()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("app.sock");
        var port = LoopbackPort.Free();
        await using var procman = ProcmanHost.Start(
            Paths.TestApp,
            ["-w", "1", "-b", $"unix:{path}", "-b", $"127.0.0.1:{port}"],
            wrapper: ["systemd-socket-activate", "-l", path]);
        await procman.WaitForOutputAsync(ActivatorListening, ProcmanHost.StartTimeout);
        using var client = LoopbackPort.UnixClient(path);

        Assert.Equal("ok\n", await client.GetStringAsync("/"));

        var adopted = await procman.WaitForEventAsync(e => e.Id == SocketActivationEvent, ProcmanHost.StartTimeout, "the socket activation line");
        Assert.Contains("configured bind", adopted.Text("Use"));
        var listening = procman.Events.Where(e => e.Id == MasterEvent.Listening).Select(e => e.Text("Address")).ToArray();
        Assert.Equal([$"unix:{path} (systemd fd 3)", $"127.0.0.1:{port}"], listening);
        using var tcp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal("ok\n", await tcp.GetStringAsync("/"));
    }
}
