using System.Diagnostics;
using System.Text.Json;
using Procman.Configuration.Python;

namespace Procman.Tests.Configuration.Python;

/// <summary>
/// Every config fixture is run by CPython too (Debian's python3, with uninstalled modules stubbed) and every
/// data value the file leaves behind must be the same in procman's evaluator: the subset is not a dialect.
/// </summary>
public sealed class CPythonDifferentialTests
{
    private static readonly TimeSpan PythonTimeout = TimeSpan.FromSeconds(60);

    private static readonly string ConfigDirectory = Path.Combine(AppContext.BaseDirectory, "Configuration", "Python", "Configs");

    /// <summary>An empty environment, and one that takes the other side of the usual branches.</summary>
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Environments = new(StringComparer.Ordinal)
    {
        ["empty"] = new Dictionary<string, string>(),
        ["production"] = new Dictionary<string, string>
        {
            ["PORT"] = "9000", ["WEB_CONCURRENCY"] = "3", ["ENV"] = "production", ["ENVIRONMENT"] = "dev", ["DEBUG"] = "True",
            ["GUNICORN_WORKERS"] = "5", ["GUNICORN_PRELOAD"] = "yes", ["LOG_LEVEL"] = "DEBUG", ["BIND"] = "unix:/tmp/app.sock",
            ["PORTS"] = "1,2,3", ["THREADS"] = "8", ["APP_ENV"] = "staging", ["DEBUG_PORT"] = "5678", ["GUNICORN_BIND"] = "0.0.0.0:1",
        },
    };

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(ConfigDirectory, "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!Path.GetFileName(file).StartsWith("error_", StringComparison.Ordinal))
            {
                foreach (var environment in Environments.Keys)
                {
                    data.Add(Path.GetRelativePath(ConfigDirectory, file), environment);
                }
            }
        }
        return data;
    }

    [Fact]
    public void RealWorldCorpus_HasAtLeastTwentyConfigs() =>
        Assert.True(Directory.GetFiles(Path.Combine(ConfigDirectory, "RealWorld"), "*.py").Length >= 20);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_EvaluatesToTheValuesCPythonComputes(string fixture, string environmentName)
    {
        var path = Path.Combine(ConfigDirectory, fixture);
        var environment = Environments[environmentName];

        var expected = await RunCPythonAsync(path, environment);
        var module = new PythonConfigEvaluator(new FakeEnvironment([.. environment.Select(pair => (pair.Key, pair.Value))]), Evaluation.CpuCount)
            .Evaluate(await File.ReadAllTextAsync(path), path);
        var actual = module.Assignments
            .Where(assignment => assignment.Inert is null && PythonValues.IsData(assignment.Value))
            .ToDictionary(assignment => assignment.Name, assignment => Canonical(assignment.Value), StringComparer.Ordinal);

        // What procman reports as inert (json.dumps(...), a third-party module) it does not claim to compute.
        var inert = module.Assignments.Where(assignment => assignment.Inert is not null).Select(assignment => assignment.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            expected.Where(pair => !inert.Contains(pair.Key)).OrderBy(pair => pair.Key, StringComparer.Ordinal),
            actual.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    /// <summary>Python's repr, with set items sorted as the harness sorts them.</summary>
    private static string Canonical(object? value) => value switch
    {
        HashSet<object?> set => set.Count == 0 ? "set()" : "{" + string.Join(", ", set.Select(Canonical).Order(StringComparer.Ordinal)) + "}",
        object?[] tuple => "(" + string.Join(", ", tuple.Select(Canonical)) + (tuple.Length == 1 ? "," : "") + ")",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Canonical)) + "]",
        IReadOnlyDictionary<object, object?> dict => "{" + string.Join(", ", dict.Select(pair => $"{Canonical(pair.Key)}: {Canonical(pair.Value)}")) + "}",
        _ => PythonValues.Repr(value),
    };

    private static async Task<Dictionary<string, string>> RunCPythonAsync(string path, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Python must not write __pycache__ next to the fixtures, nor read the caller's site customizations.
            Environment = { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONNOUSERSITE"] = "1" },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Configuration", "Python", "Harness", "print_settings.py"));
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(JsonSerializer.Serialize(environment));
        start.ArgumentList.Add(Evaluation.CpuCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start; .ci/run installs it");
        using var timeout = new CancellationTokenSource(PythonTimeout);
        try
        {
            var output = python.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = python.StandardError.ReadToEndAsync(timeout.Token);
            await python.WaitForExitAsync(timeout.Token);
            Assert.True(python.ExitCode == 0, $"python3 failed on {path}: {await errors}");
            return JsonSerializer.Deserialize<Dictionary<string, string>>(await output)!;
        }
        finally
        {
            if (!python.HasExited)
            {
                python.Kill(entireProcessTree: true);
            }
        }
    }
}
