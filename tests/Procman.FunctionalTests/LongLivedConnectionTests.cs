using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>
/// WebSockets and server-sent events across a reload: <c>Connection: close</c> cannot end them, so the retiring
/// worker keeps them, accepts nothing new, tells the app it is stopping once nothing else is left, and closes what
/// is still open at the graceful timeout.
/// </summary>
public sealed class LongLivedConnectionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // The worker's drain events (111-113) are logged at Information, below the test app's minimum level.
    private static readonly Dictionary<string, string> WorkerEventsShown = new() { ["Logging__LogLevel__Procman.Worker"] = "Information" };

    [Fact]
    public async Task WebSocket_DuringReload_IsEndedByTheAppWhenTold_AndTheOldWorkerExitsLongBeforeTheGracefulTimeout()
    {
        await using var procman = await StartAsync(gracefulTimeoutSeconds: 60);
        using var socket = await ConnectAsync(procman, "/ws");
        var old = int.Parse(await ReceiveTextAsync(socket), CultureInfo.InvariantCulture);

        procman.Signal(Native.SigHup);

        using var timeout = new CancellationTokenSource(Bound);
        var result = await socket.ReceiveAsync(new byte[256], timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        // The closing handshake, as a browser completes it.
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        var exit = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == old, Bound, "the old worker to exit");
        Assert.Equal("retired", exit.Text("Reason"));
        // The worker's output reaches the master on its own pipe, which may be read after its exit.
        await procman.WaitForEventAsync(e => IsWorkerLine(e, old, "telling the app it is stopping"), Bound, "the old worker to say it told the app");
        Assert.DoesNotContain(procman.Events, e => IsWorkerLine(e, old, "reached the graceful timeout"));
    }

    [Fact]
    public async Task WebSocket_ThatTheAppKeeps_WorksOnTheRetiringWorker_NoNewConnectionLandsThere_AndItIsClosedAtTheGracefulTimeout()
    {
        await using var procman = await StartAsync(gracefulTimeoutSeconds: 4);
        using var socket = await ConnectAsync(procman, "/ws?stay=true");
        var old = int.Parse(await ReceiveTextAsync(socket), CultureInfo.InvariantCulture);

        procman.Signal(Native.SigHup);
        await procman.WaitForEventAsync(e => IsWorkerLine(e, old, "is draining"), Bound, "the old worker to drain");

        await socket.SendAsync("still here"u8.ToArray(), WebSocketMessageType.Text, true, default);
        Assert.Equal("still here", await ReceiveTextAsync(socket));
        using (var client = procman.CreateClient(keepAlive: false))
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.NotEqual(old.ToString(CultureInfo.InvariantCulture), await client.GetStringAsync("/pid"));
            }
        }
        using (var second = await ConnectAsync(procman, "/ws?stay=true"))
        {
            Assert.NotEqual(old.ToString(CultureInfo.InvariantCulture), await ReceiveTextAsync(second));
        }

        var exit = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == old, Bound, "the old worker to exit");
        Assert.Equal("retired", exit.Text("Reason"));
        // Closed at the graceful timeout, by procman's drain or by Kestrel's own shutdown timeout (the same length,
        // started when the app was told), whichever comes first: either way the worker exits, and is not killed.
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerKilled);
        using var timeout = new CancellationTokenSource(Bound);
        await Assert.ThrowsAnyAsync<WebSocketException>(async () =>
        {
            while (true)
            {
                await socket.ReceiveAsync(new byte[256], timeout.Token);
            }
        });
    }

    [Fact]
    public async Task EventStream_DuringReload_IsEndedByTheAppWhenTold_AndTheNextStreamComesFromTheNewWorker()
    {
        await using var procman = await StartAsync(gracefulTimeoutSeconds: 60);
        using var client = procman.CreateClient();
        using var timeout = new CancellationTokenSource(Bound);
        using var response = await client.GetAsync("/sse", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var old = int.Parse((await ReadEventAsync(reader, timeout.Token))!, CultureInfo.InvariantCulture);

        procman.Signal(Native.SigHup);

        while (await ReadEventAsync(reader, timeout.Token) is { } pid)
        {
            Assert.Equal(old, int.Parse(pid, CultureInfo.InvariantCulture));
        }
        var exit = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == old, Bound, "the old worker to exit");
        Assert.Equal("retired", exit.Text("Reason"));
        Assert.DoesNotContain(procman.Events, e => IsWorkerLine(e, old, "reached the graceful timeout"));

        using var next = await client.GetAsync("/sse", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var nextReader = new StreamReader(await next.Content.ReadAsStreamAsync(timeout.Token));
        Assert.NotEqual(old, int.Parse((await ReadEventAsync(nextReader, timeout.Token))!, CultureInfo.InvariantCulture));
    }

    private static async Task<ProcmanHost> StartAsync(int gracefulTimeoutSeconds)
    {
        var procman = ProcmanHost.Start(
            Paths.TestApp,
            ["-w", "1", "--capture-output", "--graceful-timeout", gracefulTimeoutSeconds.ToString(CultureInfo.InvariantCulture), ProcmanHost.NoWarmup],
            WorkerEventsShown);
        try
        {
            await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
            return procman;
        }
        catch
        {
            await procman.DisposeAsync();
            throw;
        }
    }

    private static bool IsWorkerLine(MasterEvent e, int pid, string text)
        => e.Id == MasterEvent.WorkerOutput && e.Int("Pid") == pid && e.Text("Line").Contains(text, StringComparison.Ordinal);

    private static async Task<ClientWebSocket> ConnectAsync(ProcmanHost procman, string path)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Bound);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{procman.Port}{path}"), timeout.Token);
        return socket;
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var buffer = new byte[256];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return Encoding.ASCII.GetString(buffer, 0, result.Count);
    }

    /// <summary>The data of the next event, or null when the stream has ended.</summary>
    private static async Task<string?> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }
        return null;
    }
}
