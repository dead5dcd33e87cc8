namespace Procman.Configuration.Python;

/// <summary>
/// Something in a config file the evaluator will not or cannot run. The message of one error is a single
/// line, <c>FILE:LINE:COL: problem; `offending text`; what is supported</c>, so it reads well in a log; a
/// file with several errors gives one such line per error, so all of them are fixed in one round.
/// </summary>
internal sealed class ConfigSyntaxException : Exception
{
    public ConfigSyntaxException(string fileName, int line, int column, string problem, string offendingText, string supported, string? pythonType = null)
        : base(Format(fileName, line, column, problem, offendingText, supported))
    {
        FileName = fileName;
        Line = line;
        Column = column;
        PythonType = pythonType;
        Problem = problem;
        Errors = [this];
    }

    public ConfigSyntaxException(IReadOnlyList<ConfigSyntaxException> errors)
        : base(string.Join('\n', errors.Select(error => error.Message)))
    {
        FileName = errors[0].FileName;
        Line = errors[0].Line;
        Column = errors[0].Column;
        Problem = errors[0].Problem;
        Errors = errors;
    }

    /// <summary>What is wrong, without position, offending text or hint.</summary>
    public string Problem { get; }

    /// <summary>What <c>str(e)</c> gives in an <c>except ... as e</c>: the problem without its type prefix.</summary>
    public string PythonMessage => PythonType is not null && Problem.StartsWith(PythonType + ": ", StringComparison.Ordinal)
        ? Problem[(PythonType.Length + 2)..]
        : Problem;

    public string FileName { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The Python exception type (ValueError, KeyError, ...) when the error is one a try/except may catch; null for limits and unsupported constructs.</summary>
    public string? PythonType { get; }

    /// <summary>Every error of the file, in source order; a single error lists itself.</summary>
    public IReadOnlyList<ConfigSyntaxException> Errors { get; }

    private static string Format(string fileName, int line, int column, string problem, string offendingText, string supported)
    {
        // A problem that already quotes the offending text (`os.system` is not supported) does not repeat it.
        var quoted = offendingText.Length == 0 || problem.Contains($"`{offendingText}`", StringComparison.Ordinal);
        var offending = quoted ? "" : $"; `{offendingText}`";
        var hint = supported.Length == 0 ? "" : $"; {supported}";
        return $"{fileName}:{line}:{column}: {problem}{offending}{hint}";
    }
}
