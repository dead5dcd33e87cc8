namespace Procman.Protocol;

/// <summary>The environment variables of a worker that are not settings: the hook and the address procman overrides.</summary>
public static class WorkerEnvironment
{
    /// <summary>The startup hook variable; a worker removes it so that the app's own child processes do not load procman.</summary>
    public const string StartupHooks = "DOTNET_STARTUP_HOOKS";

    /// <summary>Read by ASP.NET Core for the addresses to listen on; procman sets it to <see cref="UnattachedUrl"/>.</summary>
    public const string AspNetCoreUrls = "ASPNETCORE_URLS";

    /// <summary>
    /// The master gives every worker this address as ASPNETCORE_URLS. An app procman attached to drops it; an
    /// app procman could not attach to fails to bind it and exits, rather than opening a port of its own that
    /// procman does not manage.
    /// </summary>
    public const string UnattachedUrl = "http://unix:/nonexistent/procman-could-not-attach-to-this-app.sock";

    /// <summary>The file name of the startup hook assembly, shipped next to the master.</summary>
    public const string HookAssemblyFile = "Procman.Worker.dll";
}
