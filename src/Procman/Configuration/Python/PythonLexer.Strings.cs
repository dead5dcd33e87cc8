using System.Globalization;
using System.Text;

namespace Procman.Configuration.Python;

internal sealed partial class PythonLexer
{
    private void ReadString(int start, string prefix)
    {
        var quote = _text[_position];
        var triple = _position + 2 < _end && _text[_position + 1] == quote && _text[_position + 2] == quote;
        var quoteLength = triple ? 3 : 1;
        _position += quoteLength;
        var bodyStart = _position;
        int bodyEnd;
        while (true)
        {
            if (_position >= _end || (!triple && _text[_position] == '\n'))
            {
                throw _source.Error(start, _position, "unterminated string literal", "close every string on its line, or use triple quotes for multi-line strings");
            }
            var c = _text[_position];
            if (c == '\\')
            {
                _position += _position + 2 < _end && _text[_position + 1] == '\r' && _text[_position + 2] == '\n' ? 3 : 2;
                continue;
            }
            if (c == quote && (!triple || (_position + 2 < _end && _text[_position + 1] == quote && _text[_position + 2] == quote)))
            {
                bodyEnd = _position;
                _position += quoteLength;
                break;
            }
            _position++;
        }
        var raw = prefix.Contains('r', StringComparison.Ordinal);
        if (prefix.Contains('b', StringComparison.Ordinal))
        {
            Add(TokenKind.String, start, _position, unsupported: "bytes literals are not supported");
        }
        else if (prefix.Contains('f', StringComparison.Ordinal))
        {
            Add(TokenKind.FormattedString, start, _position, parts: SplitFormatted(bodyStart, bodyEnd, raw));
        }
        else
        {
            Add(TokenKind.String, start, _position, raw ? _text[bodyStart..bodyEnd] : Decode(bodyStart, bodyEnd));
        }
    }

    private string Decode(int start, int end)
    {
        var builder = new StringBuilder(end - start);
        for (var i = start; i < end; i++)
        {
            if (_text[i] == '\\')
            {
                AppendEscape(builder, ref i);
            }
            else
            {
                builder.Append(_text[i]);
            }
        }
        return builder.ToString();
    }

    private List<FormattedStringPart> SplitFormatted(int start, int end, bool raw)
    {
        var parts = new List<FormattedStringPart>();
        var literal = new StringBuilder();
        var i = start;
        while (i < end)
        {
            var c = _text[i];
            var next = i + 1 < end ? _text[i + 1] : '\0';
            if ((c == '{' && next == '{') || (c == '}' && next == '}'))
            {
                literal.Append(c);
                i += 2;
            }
            else if (c == '{')
            {
                if (literal.Length > 0)
                {
                    parts.Add(FormattedStringPart.Text(literal.ToString()));
                    literal.Clear();
                }
                i = ReadField(i, end, parts);
            }
            else if (c == '}')
            {
                throw _source.Error(i, i + 1, "single `}` is not allowed in an f-string", "write `}}` for a literal brace");
            }
            else if (c == '\\' && !raw)
            {
                AppendEscape(literal, ref i);
                i++;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }
        if (literal.Length > 0)
        {
            parts.Add(FormattedStringPart.Text(literal.ToString()));
        }
        return parts;
    }

    private int ReadField(int open, int end, List<FormattedStringPart> parts)
    {
        var i = open + 1;
        var depth = 0;
        var quote = '\0';
        string? unsupported = null;
        var unsupportedOffset = 0;
        for (; ; i++)
        {
            if (i >= end)
            {
                throw _source.Error(open, end, "f-string: expecting `}`", "replacement fields look like {name} or {expression}");
            }
            var c = _text[i];
            var next = i + 1 < end ? _text[i + 1] : '\0';
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    break;
                }
                depth--;
            }
            else if (depth == 0 && ((c == '!' && next != '=') || c == ':'))
            {
                break;
            }
            else if (depth == 0 && c == '=' && next != '=' && _text[i - 1] is not ('=' or '!' or '<' or '>'))
            {
                unsupported = "the `=` specifier in f-strings is not supported";
                unsupportedOffset = i;
                break;
            }
        }
        var expressionEnd = i;
        if (string.IsNullOrWhiteSpace(_text[(open + 1)..expressionEnd]))
        {
            throw _source.Error(open, expressionEnd + 1, "f-string: empty expression not allowed", "replacement fields look like {name} or {expression}");
        }
        var conversion = '\0';
        if (_text[i] == '=')
        {
            i++;
        }
        if (i < end && _text[i] == '!')
        {
            conversion = i + 1 < end ? _text[i + 1] : '\0';
            if (conversion is not ('s' or 'r' or 'a'))
            {
                throw _source.Error(i, i + 2, "f-string: invalid conversion character", "use !s, !r or !a");
            }
            i += 2;
        }
        if (i < end && _text[i] == ':')
        {
            unsupported ??= "format specs in f-strings are not supported";
            unsupportedOffset = unsupportedOffset == 0 ? i : unsupportedOffset;
            var nested = 0;
            while (i < end && (_text[i] != '}' || nested > 0))
            {
                nested += _text[i] == '{' ? 1 : _text[i] == '}' ? -1 : 0;
                i++;
            }
        }
        if (i >= end || _text[i] != '}')
        {
            throw _source.Error(open, Math.Min(i + 1, end), "f-string: expecting `}`", "replacement fields look like {name} or {expression}");
        }
        parts.Add(new FormattedStringPart(null, open + 1, expressionEnd, conversion, unsupported, unsupportedOffset));
        return i + 1;
    }

    /// <summary>Decodes the escape starting at the backslash at <paramref name="i"/>, leaving <paramref name="i"/> on its last character.</summary>
    private void AppendEscape(StringBuilder builder, ref int i)
    {
        var backslash = i;
        i++;
        var c = _text[i];
        switch (c)
        {
            case '\n':
                return;
            case '\r':
                if (i + 1 < _text.Length && _text[i + 1] == '\n')
                {
                    i++;
                }
                return;
            case 'n': builder.Append('\n'); return;
            case 't': builder.Append('\t'); return;
            case 'r': builder.Append('\r'); return;
            case 'a': builder.Append('\a'); return;
            case 'b': builder.Append('\b'); return;
            case 'f': builder.Append('\f'); return;
            case 'v': builder.Append('\v'); return;
            case '\\' or '\'' or '"': builder.Append(c); return;
            case 'x': AppendCodePoint(builder, backslash, ref i, 2); return;
            case 'u': AppendCodePoint(builder, backslash, ref i, 4); return;
            case 'U': AppendCodePoint(builder, backslash, ref i, 8); return;
        }
        if (c is >= '0' and <= '7')
        {
            var value = 0;
            var count = 0;
            while (count < 3 && i < _text.Length && _text[i] is >= '0' and <= '7')
            {
                value = (value * 8) + (_text[i] - '0');
                i++;
                count++;
            }
            i--;
            builder.Append((char)value);
            return;
        }
        // Python keeps unknown escapes verbatim.
        builder.Append('\\').Append(c);
    }

    private void AppendCodePoint(StringBuilder builder, int backslash, ref int i, int length)
    {
        var digits = i + length < _text.Length ? _text.Substring(i + 1, length) : "";
        if (digits.Length != length || !digits.All(char.IsAsciiHexDigit)
            || !int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            || value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
        {
            throw _source.Error(backslash, Math.Min(i + 1 + length, _text.Length), $"invalid \\{_text[i]} escape", $"\\{_text[i]} needs {length} hex digits");
        }
        builder.Append(char.ConvertFromUtf32(value));
        i += length;
    }
}
