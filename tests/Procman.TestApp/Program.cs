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

// Blocks every thread-pool thread for good: the worker's process lives on, but nothing that needs the pool
// (requests, timers, procman's heartbeat) runs any more.
app.MapGet("/starve", () =>
{
    ThreadPool.GetMinThreads(out var workers, out var completionPorts);
    ThreadPool.SetMaxThreads(workers, completionPorts);
    var never = new ManualResetEventSlim();
    for (var i = 0; i < workers * 4; i++)
    {
        ThreadPool.QueueUserWorkItem(_ => never.Wait());
    }
    never.Wait();
    return "unreachable";
});

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

app.MapGet("/crash", () =>
{
    Environment.Exit(42);
    return "unreachable";
});

app.Run();
