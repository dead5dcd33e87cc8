using Procman.GrpcApp;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddGrpc();
var app = builder.Build();

app.MapGrpcService<EchoService>();

app.Run();
