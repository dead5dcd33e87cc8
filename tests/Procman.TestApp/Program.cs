// A deliberately misbehaving ASP.NET Core app for procman's process tests. It knows nothing of procman:
// every behaviour is chosen through its environment or its endpoints.
var bootDelay = int.TryParse(Environment.GetEnvironmentVariable("TESTAPP_BOOT_DELAY_MS"), out var delay) ? delay : 0;
if (bootDelay > 0)
{
    Thread.Sleep(bootDelay);
}
if (Environment.GetEnvironmentVariable("TESTAPP_FAIL_AT_BOOT") == "1"
    || Environment.GetEnvironmentVariable("TESTAPP_FAIL_IF_EXISTS") is { Length: > 0 } marker && File.Exists(marker))
{
    Console.Error.WriteLine("TestApp: failing at boot as asked");
    throw new InvalidOperationException("TestApp refuses to boot: the database connection string is missing");
}

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

app.MapGet("/", () => "ok\n");

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

// An exception no code catches, on a thread of the app's own: the runtime prints it and aborts the process.
app.MapGet("/throw", () =>
{
    new Thread(() => throw new InvalidOperationException("thrown on purpose by /throw")).Start();
    return "throwing\n";
});

app.MapGet("/crash", () =>
{
    Environment.Exit(42);
    return "unreachable";
});

app.Run();
