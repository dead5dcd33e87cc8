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

app.MapGet("/crash", () =>
{
    Environment.Exit(42);
    return "unreachable";
});

app.Run();
