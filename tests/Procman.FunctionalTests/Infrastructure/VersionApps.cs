using System.Diagnostics;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// The test app for each supported .NET version, published once per test run: self-contained executables for
/// .NET 8 and 9 (their runtimes are not installed on the machine), the framework-dependent dll for .NET 10.
/// </summary>
internal static class VersionApps
{
    // A publish restores runtime packs from NuGet on a fresh machine; it never takes this long otherwise.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private static readonly Lazy<Task> Published = new(PublishAllAsync);

    private static string Project => Path.Combine(Paths.RepositoryRoot, "tests", "Procman.VersionApp", "Procman.VersionApp.csproj");

    private static string Output(string framework) => Path.Combine(Paths.RepositoryRoot, "artifacts", "publish", "Procman.VersionApp", framework);

    /// <summary>The app to run for <paramref name="framework"/> (net8.0, net9.0, net10.0), published on first use.</summary>
    public static async Task<string> GetAsync(string framework)
    {
        await Published.Value;
        return framework == "net10.0"
            ? Path.Combine(Output(framework), "Procman.VersionApp.dll")
            : Path.Combine(Output(framework), "Procman.VersionApp");
    }

    private static async Task PublishAllAsync()
    {
        // One after the other: the machine is small, and the publishes share the project's obj/ directory.
        await PublishAsync("net8.0", selfContained: true);
        await PublishAsync("net9.0", selfContained: true);
        await PublishAsync("net10.0", selfContained: false);
    }

    private static async Task PublishAsync(string framework, bool selfContained)
    {
        var start = new ProcessStartInfo(Paths.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "publish", Project, "-c", "Release", "-f", framework, "-warnaserror", "-nologo", "-o", Output(framework) })
        {
            start.ArgumentList.Add(argument);
        }
        if (selfContained)
        {
            start.ArgumentList.Add("-r");
            start.ArgumentList.Add("linux-x64");
            start.ArgumentList.Add("--self-contained");
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish of the {framework} test app took longer than {PublishTimeout}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the {framework} test app failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }
}
