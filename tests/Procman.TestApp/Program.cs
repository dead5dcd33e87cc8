using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;

// A deliberately misbehaving ASP.NET Core app for procman's process tests. It knows nothing of procman:
// every behaviour is chosen through its environment or its endpoints.
Identity.Record("main");
var bootDelay = int.TryParse(Environment.GetEnvironmentVariable("TESTAPP_BOOT_DELAY_MS"), out var delay) ? delay : 0;
if (bootDelay > 0)
{
    Thread.Sleep(bootDelay);
}
// Boots no further until this file exists, then takes it (deletes it): one boot per file a test writes, so that
// it sees a worker mid-boot for as long as it needs and lets workers through one at a time.
if (Environment.GetEnvironmentVariable("TESTAPP_BOOT_TICKET") is { Length: > 0 } ticket)
{
    while (!File.Exists(ticket))
    {
        Thread.Sleep(20);
    }
    File.Delete(ticket);
}
if (Environment.GetEnvironmentVariable("TESTAPP_FAIL_AT_BOOT") == "1"
    || Environment.GetEnvironmentVariable("TESTAPP_FAIL_IF_EXISTS") is { Length: > 0 } marker && File.Exists(marker))
{
    Console.Error.WriteLine("TestApp: failing at boot as asked");
    throw new InvalidOperationException("TestApp refuses to boot: the database connection string is missing");
}

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

// "PORT1,PORT2,PORT3,UNIX-PATH": the app picks its own addresses in code, every way Kestrel offers.
if (Environment.GetEnvironmentVariable("TESTAPP_CODE_ENDPOINTS") is { Length: > 0 } endpoints)
{
    var parts = endpoints.Split(',');
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.Listen(IPAddress.Loopback, int.Parse(parts[0], CultureInfo.InvariantCulture));
        kestrel.ListenAnyIP(int.Parse(parts[1], CultureInfo.InvariantCulture));
        kestrel.ListenLocalhost(int.Parse(parts[2], CultureInfo.InvariantCulture));
        kestrel.ListenUnixSocket(parts[3]);
    });
}
Telemetry.StartIfAsked();
var app = builder.Build();

app.Use((context, next) =>
{
    Telemetry.Reached();
    return next(context);
});
app.UseWebSockets();

app.MapGet("/", () => "ok\n");

// An echo WebSocket whose first message is the worker's pid. The app ends it when it is told to stop
// (ApplicationStopping), unless asked to ?stay, in which case only its client or the server can end it.
app.Map("/ws", async (HttpContext context, IHostApplicationLifetime lifetime, bool? stay) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        return Results.BadRequest();
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await socket.SendAsync(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), WebSocketMessageType.Text, true, default);
    using var stopping = stay == true ? default : lifetime.ApplicationStopping.Register(() =>
        _ = socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", default));
    var buffer = new byte[4096];
    try
    {
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default);
                }
                break;
            }
            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
        }
    }
    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
    {
        // The connection was closed under it.
    }
    return Results.Empty;
});

// Server-sent events, one every 100 ms, each carrying the worker's pid; ends when the app is told to stop,
// unless asked to ?stay.
app.MapGet("/sse", async (HttpContext context, IHostApplicationLifetime lifetime, bool? stay) =>
{
    context.Response.ContentType = "text/event-stream";
    using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
    var ending = stay == true ? context.RequestAborted : linked.Token;
    try
    {
        while (!ending.IsCancellationRequested)
        {
            await context.Response.WriteAsync($"data: {Environment.ProcessId}\n\n", ending);
            await context.Response.Body.FlushAsync(ending);
            await Task.Delay(100, ending);
        }
    }
    catch (OperationCanceledException)
    {
        // Told to stop, or the client left.
    }
});

app.MapGet("/protocol", (HttpContext context) => context.Request.Protocol + "\n");

app.MapGet("/env", (string name) => Environment.GetEnvironmentVariable(name) ?? "(unset)");

// Leaves an orphan behind: a shell starts a sleep in the background and exits at once, so the sleep is
// re-parented to the nearest subreaper or to PID 1, which must reap it when it exits.
app.MapGet("/orphan", (int ms) =>
{
    var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
    start.ArgumentList.Add("-c");
    start.ArgumentList.Add($"sleep {ms / 1000.0:0.###} >/dev/null & echo $!");
    using var shell = System.Diagnostics.Process.Start(start)!;
    var orphan = shell.StandardOutput.ReadLine();
    shell.WaitForExit();
    return orphan;
});

app.MapGet("/ids", Identity.Current);

// Whether this worker may read a file: "read" or "denied".
app.MapGet("/read", (string path) =>
{
    try
    {
        using var _ = File.OpenRead(path);
        return "read";
    }
    catch (UnauthorizedAccessException)
    {
        return "denied";
    }
});

app.MapGet("/pid", () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

app.MapGet("/slow", async (int ms) =>
{
    await Task.Delay(ms);
    return $"slept {ms} ms in {Environment.ProcessId}";
});

app.MapGet("/request", (HttpContext context) => Results.Json(new
{
    context.Request.Scheme,
    RemoteIp = context.Connection.RemoteIpAddress?.ToString(),
    PathBase = context.Request.PathBase.Value,
    Path = context.Request.Path.Value,
}));

// Queues work items that never finish, with the pool free to grow: it injects a thread or two a second, each
// of which picks the next blocked item, so requests queued behind them wait for as long as items keep coming.
app.MapGet("/block", (int items) =>
{
    Misbehaviour.QueueBlockingWorkItems(items);
    return $"queued {items} blocking work items\n";
});

// A handler that blocks on I/O it started (sync over async), against the upstream the test names.
var upstream = new HttpClient();
app.MapGet("/upstream", () => Misbehaviour.FetchBlocking(upstream, Environment.GetEnvironmentVariable("TESTAPP_UPSTREAM") ?? "http://127.0.0.1:9/"));

// Takes two locks in the order asked for: opposite orders under concurrency deadlock, and freeze every request.
app.MapGet("/transfer", (string from) => Misbehaviour.Transfer(from == "a"));

// A report that takes its time on a pool thread of its own.
app.MapGet("/report", (int ms) =>
{
    Thread.Sleep(ms);
    return $"report took {ms} ms\n";
});

app.MapGet("/gc", (int mb) => Misbehaviour.LongGc(mb));

// Allocates and keeps this many megabytes, touched so that they count in the resident set.
var hoard = new List<byte[]>();
app.MapGet("/alloc", (int mb) =>
{
    for (var i = 0; i < mb; i++)
    {
        var block = new byte[1024 * 1024];
        Array.Fill(block, (byte)1);
        hoard.Add(block);
    }
    return $"holding {hoard.Count} MB";
});

// Exits with the code asked for, as a process may: 137 or 143 from an exit call are not signals.
app.MapGet("/exit", (int code) =>
{
    Environment.Exit(code);
    return "unreachable";
});

// An exception no code catches, on a thread of the app's own: the runtime prints it and aborts the process.
app.MapGet("/throw", () =>
{
    new Thread(() => throw new InvalidOperationException("thrown on purpose by /throw")).Start();
    return "throwing\n";
});

// Targets for procman's warm-up (warmup_path): /warm counts its calls and /warm/count reads the count back, /warm/last
// the scheme, protocol and host of the last call; /warm/fail
// answers 500, /warm/throw throws, and /warm/hang never answers, whatever its caller does.
var warmCalls = 0;
var warmLast = "";
app.MapGet("/warm", (HttpContext context) =>
{
    warmLast = $"{context.Request.Scheme} {context.Request.Protocol} {context.Request.Host}";
    return Interlocked.Increment(ref warmCalls).ToString(CultureInfo.InvariantCulture);
});
app.MapGet("/warm/last", () => warmLast);
app.MapGet("/warm/count", () => Volatile.Read(ref warmCalls).ToString(CultureInfo.InvariantCulture));
app.MapGet("/warm/fail", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
app.MapGet("/warm/throw", string () => throw new InvalidOperationException("the cache is not filled yet"));
app.MapGet("/warm/hang", async () =>
{
    await Task.Delay(Timeout.Infinite);
    return "unreachable";
});

// What the app's telemetry recorded (Telemetry.cs); /telemetry/outgoing makes one outgoing request, to this app's /.
app.MapGet("/telemetry", Telemetry.Report);
app.MapGet("/telemetry/outgoing", async (HttpContext context) =>
{
    using var client = new HttpClient();
    return await client.GetStringAsync($"http://{context.Request.Host}/");
});

app.MapGet("/crash", () =>
{
    Environment.Exit(42);
    return "unreachable";
});

app.Run();
