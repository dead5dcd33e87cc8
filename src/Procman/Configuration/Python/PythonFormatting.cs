using System.Globalization;
using System.Text;

namespace Procman.Configuration.Python;

/// <summary>printf-style <c>"%s:%d" % (host, port)</c> formatting, for the conversions configs use.</summary>
internal static class PythonFormatting
{
    private const string Supported = "supported: %s %r %d %i %f %x %o %% with optional (name), flags, width and .precision";

    public static string Percent(string template, object? values)
    {
        var mapping = values as IReadOnlyDictionary<object, object?>;
        IReadOnlyList<object?> arguments = values is object?[] tuple ? tuple : [values];
        var next = 0;
        var builder = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '%')
            {
                builder.Append(template[i]);
                continue;
            }
            if (++i >= template.Length)
            {
                throw new PythonValueException("ValueError: incomplete format");
            }
            object? value = null;
            var haveValue = false;
            if (template[i] == '(')
            {
                var close = template.IndexOf(')', i);
                if (close < 0 || mapping is null)
                {
                    throw new PythonValueException(mapping is null ? "TypeError: format requires a mapping" : "ValueError: incomplete format key");
                }
                var key = template[(i + 1)..close];
                value = mapping.TryGetValue(key, out var found) ? found : throw new PythonValueException($"KeyError: {PythonValues.Repr(key)}");
                haveValue = true;
                i = close + 1;
            }
            var flags = "";
            while (i < template.Length && template[i] is '-' or '+' or ' ' or '0' or '#')
            {
                flags += template[i++];
            }
            var width = ReadNumber(template, ref i);
            int? precision = null;
            if (i < template.Length && template[i] == '.')
            {
                i++;
                precision = ReadNumber(template, ref i) ?? 0;
            }
            if (i >= template.Length)
            {
                throw new PythonValueException("ValueError: incomplete format");
            }
            var conversion = template[i];
            if (conversion == '%')
            {
                builder.Append('%');
                continue;
            }
            if (!haveValue)
            {
                value = next < arguments.Count ? arguments[next++] : throw new PythonValueException("TypeError: not enough arguments for format string");
            }
            var text = Convert(conversion, value, flags, precision);
            if (width is { } w && text.Length < w)
            {
                text = flags.Contains('-', StringComparison.Ordinal) ? text.PadRight(w)
                    : flags.Contains('0', StringComparison.Ordinal) && conversion is not ('s' or 'r') ? ZeroPad(text, w) : text.PadLeft(w);
            }
            builder.Append(text);
        }
        if (mapping is null && next < arguments.Count)
        {
            throw new PythonValueException("TypeError: not all arguments converted during string formatting");
        }
        return builder.ToString();
    }

    private static int? ReadNumber(string template, ref int i)
    {
        var start = i;
        while (i < template.Length && char.IsAsciiDigit(template[i]))
        {
            i++;
        }
        return i > start ? int.Parse(template[start..i], CultureInfo.InvariantCulture) : null;
    }

    private static string ZeroPad(string text, int width) =>
        text.StartsWith('-') || text.StartsWith('+') ? text[0] + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0');

    private static string Convert(char conversion, object? value, string flags, int? precision)
    {
        var sign = flags.Contains('+', StringComparison.Ordinal) ? "+" : flags.Contains(' ', StringComparison.Ordinal) ? " " : "";
        switch (conversion)
        {
            case 's':
                var text = PythonValues.Str(value);
                return precision is { } p && p < text.Length ? text[..p] : text;
            case 'r' or 'a':
                return PythonValues.Repr(value);
            case 'd' or 'i' or 'u':
                var integer = value is double d ? PythonBuiltins.ToInteger(d) : PythonValues.TryInteger(value, out var l) ? l
                    : throw new PythonValueException($"TypeError: %{conversion} format: a real number is required, not {PythonValues.TypeName(value)}");
                return (integer >= 0 ? sign : "") + integer.ToString(CultureInfo.InvariantCulture);
            case 'f' or 'F':
                var number = PythonValues.IsNumber(value) ? PythonValues.ToDouble(value)
                    : throw new PythonValueException($"TypeError: must be real number, not {PythonValues.TypeName(value)}");
                return (number >= 0 ? sign : "") + number.ToString("F" + (precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case 'x' or 'X' or 'o':
                if (!PythonValues.TryInteger(value, out var bits))
                {
                    throw new PythonValueException($"TypeError: %{conversion} format: an integer is required, not {PythonValues.TypeName(value)}");
                }
                var digits = conversion == 'o' ? System.Convert.ToString(Math.Abs(bits), 8) : Math.Abs(bits).ToString(conversion == 'x' ? "x" : "X", CultureInfo.InvariantCulture);
                return (bits < 0 ? "-" : sign) + digits;
            default:
                throw new PythonValueException($"%{conversion} is not a supported conversion", Supported);
        }
    }
}
