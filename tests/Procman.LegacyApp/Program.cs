// The legacy hosting shape: a WebHostBuilder, a Startup class, and an address of its own in code.
using Procman.LegacyApp;

Microsoft.AspNetCore.WebHost.CreateDefaultBuilder(args)
    .UseStartup<Startup>()
    .UseUrls("http://127.0.0.1:5980")
    .Build()
    .Run();
