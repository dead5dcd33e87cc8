using System.Runtime.InteropServices;

namespace Procman.Workers;

/// <summary>Finds the <c>dotnet</c> host that runs a framework-dependent app's .dll.</summary>
internal static class DotnetHost
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }
        if (Environment.ProcessPath is { } processPath && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }
        // The runtime directory is <root>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeDirectory = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        var candidate = runtimeDirectory.Parent?.Parent?.Parent is { } dotnetRoot ? Path.Combine(dotnetRoot.FullName, "dotnet") : null;
        return candidate is not null && File.Exists(candidate) ? candidate : "dotnet";
    }
}
