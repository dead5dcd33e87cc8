namespace Procman.Configuration.Python;

/// <summary>
/// Evaluates the subset of Python that Gunicorn config files use, without running Python:
/// module-level assignments, conditionals on the environment, and hook definitions (recorded, not run).
/// </summary>
internal sealed class PythonConfigEvaluator
{
    private readonly IEnvironment _environment;
    private readonly int _cpuCount;

    public PythonConfigEvaluator(IEnvironment environment, int cpuCount)
    {
        _environment = environment;
        _cpuCount = cpuCount;
    }

    /// <summary>Evaluates the whole file; throws <see cref="ConfigSyntaxException"/> on anything outside the subset or any runtime error.</summary>
    public ConfigModule Evaluate(string source, string fileName)
    {
        var text = new PythonSource(source.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal), fileName);
        return new ConfigInterpreter(text, _environment, _cpuCount).Run();
    }
}
