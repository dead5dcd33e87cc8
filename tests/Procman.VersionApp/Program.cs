// Knows nothing of procman. The root answers with the major version of the runtime it runs on.
using System.Globalization;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

app.MapGet("/", () => $"ok {Environment.Version.Major}\n");
app.MapGet("/pid", () => Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

app.Run();
