namespace Procman.Configuration.Python;

/// <summary>
/// Anything in a config file the evaluator will not or cannot run. The message is a single line,
/// <c>FILE:LINE:COL: problem; `offending text`; what is supported</c>, so it reads well in a log.
/// </summary>
internal sealed class ConfigSyntaxException : Exception
{
    public ConfigSyntaxException(string fileName, int line, int column, string problem, string offendingText, string supported)
        : base($"{fileName}:{line}:{column}: {problem}; `{offendingText}`; {supported}")
    {
        FileName = fileName;
        Line = line;
        Column = column;
    }

    public string FileName { get; }

    public int Line { get; }

    public int Column { get; }
}
