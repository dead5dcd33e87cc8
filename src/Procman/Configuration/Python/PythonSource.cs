using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

/// <summary>The text of a config file with the means to turn offsets into positions and errors.</summary>
internal sealed class PythonSource
{
    private const int MaxOffendingLength = 80;

    private readonly List<int> _lineStarts = [0];

    public PythonSource(string text, string fileName)
    {
        Text = text;
        FileName = fileName;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    public string FileName { get; }

    public (int Line, int Column) Locate(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>The rest of the line from <paramref name="offset"/>, for errors about whole statements.</summary>
    public int EndOfLine(int offset)
    {
        var end = Text.IndexOf('\n', offset);
        return end < 0 ? Text.Length : end;
    }

    public ConfigSyntaxException Error(Span span, string problem, string supported, string? pythonType = null) =>
        Error(span.Start, span.End, problem, supported, pythonType);

    public ConfigSyntaxException Error(int start, int end, string problem, string supported, string? pythonType = null)
    {
        var (line, column) = Locate(start);
        var length = Math.Clamp(end - start, 0, Text.Length - start);
        var offending = string.Join(' ', Text.Substring(start, length).Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        if (offending.Length > MaxOffendingLength)
        {
            offending = offending[..MaxOffendingLength] + "...";
        }
        return new ConfigSyntaxException(FileName, line, column, problem, offending, supported, pythonType);
    }
}
