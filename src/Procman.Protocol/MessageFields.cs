using System.Globalization;

namespace Procman.Protocol;

/// <summary>One channel line taken apart: its verb and its <c>name=value</c> fields.</summary>
internal sealed class MessageFields
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);

    public MessageFields(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Verb = words.Length > 0 ? words[0] : "";
        foreach (var word in words.Skip(1))
        {
            var equals = word.IndexOf('=');
            if (equals > 0)
            {
                _fields[word[..equals]] = word[(equals + 1)..];
            }
        }
    }

    public string Verb { get; }

    /// <summary>The field's value, or 0 when it is missing or not a number.</summary>
    public long Long(string name)
        => _fields.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
