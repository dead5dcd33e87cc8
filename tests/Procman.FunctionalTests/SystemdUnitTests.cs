using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed partial class SystemdUnitTests
{
    private const string ProcmanPath = "/usr/local/bin/procman";

    // procman's default graceful_timeout, and the time it then gives a drained worker to exit before killing it.
    private const int GracefulTimeoutSeconds = 30;
    private const int KillMarginSeconds = 5;

    private static string UnitDirectory => Path.Combine(Paths.RepositoryRoot, "samples", "deploy", "systemd");

    [Fact]
    public async Task SampleUnits_PassSystemdAnalyzeVerify_WithNoWarning()
    {
        using var directory = new TempDirectory();
        foreach (var unit in Directory.GetFiles(UnitDirectory))
        {
            // verify checks that ExecStart= can be run: point it at an executable that exists here.
            var text = (await File.ReadAllTextAsync(unit)).Replace(ProcmanPath, "/bin/true", StringComparison.Ordinal);
            await File.WriteAllTextAsync(directory.Combine(Path.GetFileName(unit)), text);
        }

        var (exitCode, output) = await RunAsync("systemd-analyze", ["verify", directory.Combine("myapi.socket"), directory.Combine("myapi.service")]);

        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
    }

    [Fact]
    public void SampleService_IsOfTypeNotify_AndGivesTheStopMoreTimeThanTheGracefulTimeout()
    {
        var service = File.ReadAllText(Path.Combine(UnitDirectory, "myapi.service"));

        Assert.Contains("Type=notify\n", service, StringComparison.Ordinal);
        Assert.Contains("ExecReload=/bin/kill -HUP $MAINPID\n", service, StringComparison.Ordinal);
        Assert.Contains("KillMode=mixed\n", service, StringComparison.Ordinal);
        var stop = int.Parse(TimeoutStopPattern().Match(service).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(stop > GracefulTimeoutSeconds + KillMarginSeconds, $"TimeoutStopSec={stop}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, (await output + await error).Trim());
    }

    [GeneratedRegex(@"^TimeoutStopSec=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex TimeoutStopPattern();
}
