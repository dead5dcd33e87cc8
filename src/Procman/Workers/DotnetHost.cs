using System.Runtime.InteropServices;

namespace Procman.Workers;

/// <summary>Finds the <c>dotnet</c> host that runs a framework-dependent app's .dll.</summary>
internal static class DotnetHost
{
    private const string Name = "dotnet";

    public static string Find() => Find(Environment.GetEnvironmentVariable, Environment.ProcessPath, RuntimeRoot(), File.Exists, File.ReadAllText);

    /// <summary>The first that exists of: the host the SDK names, the host running procman, DOTNET_ROOT's, the
    /// runtime procman runs on, one on PATH, the registered install location; else the bare name.</summary>
    /// <remarks>
    /// The native executable of a Release build runs on no shared runtime, and no dotnet host started it: for it the
    /// host is the one on PATH or the one the installers register in /etc/dotnet/install_location, as an apphost
    /// finds its runtime.
    /// </remarks>
    internal static string Find(Func<string, string?> variable, string? processPath, string? runtimeRoot, Func<string, bool> exists, Func<string, string> read)
    {
        if (variable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && exists(hostPath))
        {
            return hostPath;
        }
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == Name)
        {
            return processPath;
        }
        var candidates = new List<string?>
        {
            variable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, Name) : null,
            runtimeRoot is null ? null : Path.Combine(runtimeRoot, Name),
        };
        candidates.AddRange((variable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(directory => Path.Combine(directory, Name)));
        candidates.Add(InstallLocation(exists, read) is { } registered ? Path.Combine(registered, Name) : null);
        return candidates.FirstOrDefault(candidate => candidate is not null && Path.IsPathRooted(candidate) && exists(candidate)) ?? Name;
    }

    private static string? InstallLocation(Func<string, bool> exists, Func<string, string> read)
    {
        var architecture = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        foreach (var file in new[] { $"/etc/dotnet/install_location_{architecture}", "/etc/dotnet/install_location" })
        {
            if (exists(file) && read(file).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is [var location, ..])
            {
                return location;
            }
        }
        return null;
    }

    /// <summary>The root of the shared runtime procman runs on (<c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>); null for the native executable.</summary>
    private static string? RuntimeRoot()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        return runtimeDirectory.Length > 0 && new DirectoryInfo(runtimeDirectory).Parent?.Parent is { Name: "shared", Parent: { } root }
            ? root.FullName
            : null;
    }
}
