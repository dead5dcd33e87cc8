using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed partial class KubernetesManifestTests
{
    // The time procman gives a drained worker to exit before it kills it.
    private const int KillMarginSeconds = 5;

    private static string Manifest => Path.Combine(Paths.RepositoryRoot, "samples", "deploy", "kubernetes", "deployment.yaml");

    // Where .ci/run installs the validator (the kubernetes-models and yaml npm packages).
    private static string ValidatorDirectory => Path.Combine(Paths.RepositoryRoot, "artifacts", "kubernetes-validator");

    [Fact]
    public async Task SampleDeployment_IsValidAgainstTheKubernetesSchemas()
    {
        Assert.True(Directory.Exists(Path.Combine(ValidatorDirectory, "node_modules", "kubernetes-models")),
            $"the validator is not installed; run .ci/run, or: npm install --prefix {ValidatorDirectory} kubernetes-models@5.1.0 yaml@2.9.1");
        // ES modules resolve packages from the script's own directory.
        var script = Path.Combine(ValidatorDirectory, "validate.mjs");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "validate.mjs"), script, overwrite: true);

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Manifest);
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(node.ExitCode == 0, await output + await error);
    }

    [Fact]
    public void SampleDeployment_RunsAsNonRoot_AndItsGracePeriodCoversTheDelayAndTheGracefulTimeout()
    {
        var text = File.ReadAllText(Manifest);

        Assert.Contains("runAsNonRoot: true", text, StringComparison.Ordinal);
        var grace = Number(GracePeriodPattern().Match(text));
        var delay = Number(ShutdownDelayPattern().Match(text));
        var graceful = Number(GracefulTimeoutPattern().Match(text));
        Assert.True(grace > delay + graceful + KillMarginSeconds, $"terminationGracePeriodSeconds {grace} <= {delay} + {graceful} + {KillMarginSeconds}");
    }

    private static int Number(Match match)
    {
        Assert.True(match.Success);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"terminationGracePeriodSeconds: (\d+)")]
    private static partial Regex GracePeriodPattern();

    [GeneratedRegex(@"""--shutdown-delay"", ""(\d+)""")]
    private static partial Regex ShutdownDelayPattern();

    [GeneratedRegex(@"""--graceful-timeout"", ""(\d+)""")]
    private static partial Regex GracefulTimeoutPattern();
}
