using System.Globalization;

namespace Procman.Protocol;

/// <summary>One channel line taken apart where it lies: its verb and its <c>name=value</c> fields.</summary>
/// <remarks>
/// Read in place, with no copy of a word: an idle master takes a heartbeat of eleven fields from every worker every
/// second, and splitting each line into strings and a dictionary was most of what decoding one cost.
/// </remarks>
internal readonly ref struct MessageFields
{
    private readonly ReadOnlySpan<char> _fields;

    public MessageFields(string line)
    {
        var words = line.AsSpan().TrimStart(' ');
        var space = words.IndexOf(' ');
        Verb = space < 0 ? words : words[..space];
        _fields = space < 0 ? [] : words[(space + 1)..];
    }

    public ReadOnlySpan<char> Verb { get; }

    /// <summary>The field's value (its last one, if it is there twice), or 0 when it is missing or not a number.</summary>
    public long Long(string name)
    {
        var value = 0L;
        var rest = _fields;
        while (!rest.IsEmpty)
        {
            var space = rest.IndexOf(' ');
            var word = space < 0 ? rest : rest[..space];
            rest = space < 0 ? [] : rest[(space + 1)..];
            var equals = word.IndexOf('=');
            if (equals > 0 && word[..equals].SequenceEqual(name))
            {
                value = long.TryParse(word[(equals + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            }
        }
        return value;
    }
}
