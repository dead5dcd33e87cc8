var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();

var startedAt = DateTimeOffset.UtcNow;

app.MapGet("/", () => "Hello from HelloApi\n");

app.MapGet("/whoami", () => Results.Json(new
{
    Pid = Environment.ProcessId,
    StartedAt = startedAt,
}));

app.MapGet("/weather/{city}", (string city) =>
{
    var temperature = Random.Shared.Next(-10, 35);
    return Results.Json(new { City = city, TemperatureC = temperature, Summary = temperature > 20 ? "warm" : "cool" });
});

app.MapGet("/healthz", () => Results.Ok());

app.Run();
