using Procman.Configuration.Python;

namespace Procman.Tests.Configuration.Python;

/// <summary>Shorthands for running the evaluator in tests with a fixed CPU count of 4.</summary>
internal static class Evaluation
{
    public const int CpuCount = 4;

    public static readonly FakeEnvironment Environment = new(("PORT", "9000"), ("ENV", "production"), ("WEB_CONCURRENCY", "3"), ("EMPTY", ""));

    public static ConfigModule Run(string source, FakeEnvironment? environment = null) =>
        new PythonConfigEvaluator(environment ?? Environment, CpuCount).Evaluate(source, "gunicorn.conf.py");

    /// <summary>The value of <c>x</c> after running <c>x = EXPRESSION</c>.</summary>
    public static object? Value(string expression, FakeEnvironment? environment = null) =>
        Run($"x = {expression}\n", environment).Assignments.Single(assignment => assignment.Name == "x").Value;

    public static ConfigSyntaxException Error(string source, FakeEnvironment? environment = null) =>
        Assert.Throws<ConfigSyntaxException>(() => Run(source, environment));

    public static IReadOnlyDictionary<string, object?> Names(ConfigModule module) =>
        module.Assignments.ToDictionary(assignment => assignment.Name, assignment => assignment.Value, StringComparer.Ordinal);
}
