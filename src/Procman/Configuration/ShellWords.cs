using System.Text;

namespace Procman.Configuration;

/// <summary>Splits a command line the way a POSIX shell would, for PROCMAN_CMD_ARGS.</summary>
internal static class ShellWords
{
    /// <summary>Splits <paramref name="text"/> into words: quotes group, backslash escapes. Returns false on an unclosed quote.</summary>
    public static bool TrySplit(string text, out IReadOnlyList<string> words, out string? error)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = null;
                }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '\\' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
        }
        if (quote is not null)
        {
            words = [];
            error = $"unclosed {quote} quote";
            return false;
        }
        if (inWord)
        {
            result.Add(current.ToString());
        }
        words = result;
        error = null;
        return true;
    }
}
