namespace Procman.Configuration;

/// <summary>
/// How to start the app: a framework-dependent <c>.dll</c> runs under the <c>dotnet</c> host; anything
/// else is executed directly (an apphost or a self-contained app).
/// </summary>
internal sealed record AppCommand(string Path, IReadOnlyList<string> Arguments)
{
    public bool IsDll => Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks that the app exists and can be started; returns the problem and its fix, or null.</summary>
    public string? Check()
    {
        if (Directory.Exists(Path))
        {
            return $"app '{Path}' is a directory; give the app's .dll or executable, e.g. {System.IO.Path.Combine(Path, "MyApi.dll")}";
        }
        if (!File.Exists(Path))
        {
            return $"app '{Path}' does not exist; build or publish the app first and give the path to its .dll";
        }
        if (IsDll)
        {
            var runtimeConfig = System.IO.Path.ChangeExtension(Path, ".runtimeconfig.json");
            if (!File.Exists(runtimeConfig))
            {
                return $"app '{Path}' has no {System.IO.Path.GetFileName(runtimeConfig)} beside it, so it is not a runnable app; give the app's main .dll from its build or publish folder";
            }
            return null;
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(Path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            return $"app '{Path}' is not executable; run chmod +x on it, or give the app's .dll instead";
        }
        return null;
    }
}
