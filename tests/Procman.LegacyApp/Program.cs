// The legacy hosting shape: a WebHostBuilder, a Startup class, and an address of its own in code. With
// LEGACYAPP_GENERIC_HOST=1, the same Startup in the generic host's shape: Host.CreateDefaultBuilder with
// ConfigureWebHostDefaults.
using Procman.LegacyApp;

const string OwnUrl = "http://127.0.0.1:5980";

if (Environment.GetEnvironmentVariable("LEGACYAPP_GENERIC_HOST") == "1")
{
    Host.CreateDefaultBuilder(args)
        .ConfigureWebHostDefaults(web => web.UseStartup<Startup>().UseUrls(OwnUrl))
        .Build()
        .Run();
}
else
{
    Microsoft.AspNetCore.WebHost.CreateDefaultBuilder(args)
        .UseStartup<Startup>()
        .UseUrls(OwnUrl)
        .Build()
        .Run();
}
