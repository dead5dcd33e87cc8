using System.Globalization;
using System.Text;

namespace Procman.Configuration.Python;

/// <summary>The pure builtins: conversions, str methods and str.format, over the evaluator's CLR values.</summary>
internal static class PythonBuiltins
{
    public const string DefaultHint = "give it a default, as in int(os.getenv(\"WEB_CONCURRENCY\", \"4\"))";

    public static void Arity(PythonFunction function, IReadOnlyList<object?> args, int min, int max)
    {
        if (args.Count >= min && args.Count <= max)
        {
            return;
        }
        var expected = min == max ? $"exactly {min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
        throw new PythonValueException($"TypeError: {function.Name}() takes {expected} argument{(max == 1 ? "" : "s")} ({args.Count} given)");
    }

    public static string RequireString(PythonFunction function, object? value) => value as string
        ?? throw new PythonValueException($"TypeError: {function.Name}() expects a str, not {PythonValues.TypeName(value)}");

    public static long ToInteger(object? value)
    {
        switch (value)
        {
            case long or bool:
                PythonValues.TryInteger(value, out var integer);
                return integer;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d) || Math.Abs(d) >= 9.2e18)
                {
                    throw new PythonValueException($"ValueError: cannot convert float {PythonValues.FormatFloat(d)} to a 64-bit integer");
                }
                return (long)Math.Truncate(d);
            case string s:
                return ParseInteger(s, 10L);
            default:
                throw new PythonValueException($"TypeError: int() argument must be a string or a number, not '{PythonValues.TypeName(value)}'",
                    value is null ? DefaultHint : "");
        }
    }

    public static long ParseInteger(object? value, object? radix)
    {
        if (value is not string text)
        {
            throw new PythonValueException("TypeError: int() can't convert non-string with explicit base");
        }
        if (!PythonValues.TryInteger(radix, out var numberBase) || (numberBase != 0 && numberBase is < 2 or > 36))
        {
            throw new PythonValueException("ValueError: int() base must be >= 2 and <= 36, or 0");
        }
        var invalid = new PythonValueException($"ValueError: invalid literal for int() with base {numberBase}: {PythonValues.Repr(text)}");
        var digits = text.Trim();
        var negative = digits.StartsWith('-');
        if (digits.StartsWith('-') || digits.StartsWith('+'))
        {
            digits = digits[1..];
        }
        var prefix = digits.Length > 1 && digits[0] == '0' ? char.ToLowerInvariant(digits[1]) : '\0';
        var prefixBase = prefix switch
        {
            'x' => 16,
            'o' => 8,
            'b' => 2,
            _ => 0,
        };
        if (prefixBase != 0 && (numberBase == 0 || numberBase == prefixBase))
        {
            numberBase = prefixBase;
            // Python accepts an underscore right after the prefix (0x_1F); a leading zero keeps the check below simple.
            digits = digits[2..].StartsWith('_') ? "0" + digits[2..] : digits[2..];
        }
        else if (numberBase == 0)
        {
            numberBase = 10;
            if (digits.Length > 1 && digits[0] == '0' && digits.Any(c => c is not ('0' or '_')))
            {
                throw invalid;
            }
        }
        if (digits.Length == 0 || digits.StartsWith('_') || digits.EndsWith('_') || digits.Contains("__", StringComparison.Ordinal))
        {
            throw invalid;
        }
        long result = 0;
        foreach (var c in digits.Replace("_", "", StringComparison.Ordinal))
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= numberBase)
            {
                throw invalid;
            }
            try
            {
                result = checked((result * numberBase) + digit);
            }
            catch (OverflowException)
            {
                throw new PythonValueException($"OverflowError: {PythonValues.Repr(text)} does not fit in a 64-bit integer");
            }
        }
        return negative ? -result : result;
    }

    public static double ToFloat(object? value)
    {
        if (value is not string text)
        {
            return PythonValues.IsNumber(value)
                ? PythonValues.ToDouble(value)
                : throw new PythonValueException($"TypeError: float() argument must be a string or a number, not '{PythonValues.TypeName(value)}'",
                    value is null ? DefaultHint.Replace("int(", "float(", StringComparison.Ordinal) : "");
        }
        var trimmed = text.Trim().ToLowerInvariant();
        var unsigned = trimmed.TrimStart('+', '-');
        var sign = trimmed.StartsWith('-') ? -1 : 1;
        if (trimmed.Length - unsigned.Length <= 1 && unsigned is "inf" or "infinity" or "nan")
        {
            return unsigned == "nan" ? double.NaN : sign * double.PositiveInfinity;
        }
        if (unsigned.Length > 0 && (char.IsAsciiDigit(unsigned[0]) || unsigned[0] == '.')
            && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }
        throw new PythonValueException($"ValueError: could not convert string to float: {PythonValues.Repr(text)}");
    }

    public static long Length(object? value) => value switch
    {
        string s => s.Length,
        IReadOnlyList<object?> list => list.Count,
        IReadOnlyDictionary<object, object?> dict => dict.Count,
        HashSet<object?> set => set.Count,
        PythonRange range => range.Count,
        _ => throw new PythonValueException($"TypeError: object of type '{PythonValues.TypeName(value)}' has no len()"),
    };

    public static object? Extreme(string name, IReadOnlyList<object?> args)
    {
        IReadOnlyList<object?> items = args.Count switch
        {
            0 => throw new PythonValueException($"TypeError: {name} expected at least 1 argument, got 0"),
            1 => args[0] switch
            {
                IReadOnlyList<object?> list => list,
                string s => s.Select(c => (object?)c.ToString()).ToList(),
                _ => throw new PythonValueException($"TypeError: '{PythonValues.TypeName(args[0])}' object is not iterable"),
            },
            _ => args,
        };
        if (items.Count == 0)
        {
            throw new PythonValueException($"ValueError: {name}() arg is an empty sequence");
        }
        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            var order = PythonValues.Compare(item, best, name == "max" ? ">" : "<");
            if (name == "max" ? order > 0 : order < 0)
            {
                best = item;
            }
        }
        return best;
    }

    public static object Round(object? value, object? digits)
    {
        if (!PythonValues.IsNumber(value))
        {
            throw new PythonValueException($"TypeError: type {PythonValues.TypeName(value)} doesn't define __round__ method");
        }
        if (digits is not null && !PythonValues.TryInteger(digits, out _))
        {
            throw new PythonValueException($"TypeError: '{PythonValues.TypeName(digits)}' object cannot be interpreted as an integer");
        }
        if (digits is null)
        {
            return value is double d ? ToInteger(Math.Round(d, MidpointRounding.ToEven)) : ToInteger(value);
        }
        PythonValues.TryInteger(digits, out var places);
        if (value is not double number)
        {
            PythonValues.TryInteger(value, out var integer);
            return places >= 0 ? integer : ToInteger(Math.Round(integer / Math.Pow(10, -places), MidpointRounding.ToEven) * Math.Pow(10, -places));
        }
        return places switch
        {
            > 15 => number,
            >= 0 => Math.Round(number, (int)places, MidpointRounding.ToEven),
            _ => Math.Round(number / Math.Pow(10, -places), MidpointRounding.ToEven) * Math.Pow(10, -places),
        };
    }

    public static object InvokeStringMethod(PythonFunction function, string text, IReadOnlyList<object?> args, IReadOnlyList<(string Name, object? Value)> keywords)
    {
        switch (function.Name)
        {
            case "str.format":
                return Format(text, args, keywords);
            case "str.lower":
                Arity(function, args, 0, 0);
                return text.ToLowerInvariant();
            case "str.upper":
                Arity(function, args, 0, 0);
                return text.ToUpperInvariant();
            case "str.isdigit" or "str.isnumeric":
                Arity(function, args, 0, 0);
                return text.Length > 0 && text.All(char.IsDigit);
            case "str.isalpha":
                Arity(function, args, 0, 0);
                return text.Length > 0 && text.All(char.IsLetter);
            case "str.isalnum":
                Arity(function, args, 0, 0);
                return text.Length > 0 && text.All(char.IsLetterOrDigit);
            case "str.title":
                Arity(function, args, 0, 0);
                return Title(text);
            case "str.capitalize":
                Arity(function, args, 0, 0);
                return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();
            case "str.find":
                Arity(function, args, 1, 1);
                return (long)text.IndexOf(RequireString(function, args[0]), StringComparison.Ordinal);
            case "str.count":
                Arity(function, args, 1, 1);
                var needle = RequireString(function, args[0]);
                return needle.Length == 0 ? text.Length + 1L : (long)((text.Length - text.Replace(needle, "", StringComparison.Ordinal).Length) / needle.Length);
            case "str.partition" or "str.rpartition":
                Arity(function, args, 1, 1);
                var separator = RequireString(function, args[0]);
                var at = function.Name == "str.partition" ? text.IndexOf(separator, StringComparison.Ordinal) : text.LastIndexOf(separator, StringComparison.Ordinal);
                return at < 0
                    ? (function.Name == "str.partition" ? new object?[] { text, "", "" } : ["", "", text])
                    : [text[..at], separator, text[(at + separator.Length)..]];
            case "str.removeprefix":
                Arity(function, args, 1, 1);
                var prefix = RequireString(function, args[0]);
                return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
            case "str.removesuffix":
                Arity(function, args, 1, 1);
                var suffix = RequireString(function, args[0]);
                return suffix.Length > 0 && text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text;
            case "str.rsplit":
                Arity(function, args, 0, 2);
                return RightSplit(text, args.Count > 0 ? args[0] : null, args.Count > 1 ? args[1] : -1L);
            case "str.encode":
                throw new PythonValueException("bytes are not supported", "keep the value a str");
            case "str.strip" or "str.lstrip" or "str.rstrip":
                Arity(function, args, 0, 1);
                var chars = args.Count == 1 && args[0] is not null ? RequireString(function, args[0]).ToCharArray() : null;
                return function.Name switch
                {
                    "str.strip" => chars is null ? text.Trim() : text.Trim(chars),
                    "str.lstrip" => chars is null ? text.TrimStart() : text.TrimStart(chars),
                    _ => chars is null ? text.TrimEnd() : text.TrimEnd(chars),
                };
            case "str.split":
                Arity(function, args, 0, 2);
                return Split(text, args.Count > 0 ? args[0] : null, args.Count > 1 ? args[1] : -1L);
            case "str.startswith" or "str.endswith":
                Arity(function, args, 1, 1);
                var candidates = args[0] is object?[] tuple ? tuple : [args[0]];
                return candidates.Select(candidate => RequireString(function, candidate)).Any(candidate => function.Name == "str.startswith"
                    ? text.StartsWith(candidate, StringComparison.Ordinal)
                    : text.EndsWith(candidate, StringComparison.Ordinal));
            case "str.replace":
                Arity(function, args, 2, 2);
                var old = RequireString(function, args[0]);
                var replacement = RequireString(function, args[1]);
                if (old.Length == 0)
                {
                    return text;
                }
                // Bounded before it is built: one replace could otherwise multiply a string's length.
                var occurrences = (text.Length - text.Replace(old, "", StringComparison.Ordinal).Length) / old.Length;
                if (text.Length + ((decimal)occurrences * (replacement.Length - old.Length)) > EvaluationLimits.MaxStringLength)
                {
                    throw new PythonValueException($"the string would be longer than {EvaluationLimits.MaxStringLength:N0} characters, the limit", "a config file should compute settings, not data");
                }
                return text.Replace(old, replacement, StringComparison.Ordinal);
            default:
                Arity(function, args, 1, 1);
                return args[0] is IReadOnlyList<object?> items
                    ? string.Join(text, items.Select(item => RequireString(function, item)))
                    : throw new PythonValueException($"TypeError: can only join a list or tuple, not '{PythonValues.TypeName(args[0])}'");
        }
    }

    private static string Title(string text)
    {
        var builder = new StringBuilder(text.Length);
        var previousLetter = false;
        foreach (var c in text)
        {
            builder.Append(previousLetter ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousLetter = char.IsLetter(c);
        }
        return builder.ToString();
    }

    private static List<object?> RightSplit(string text, object? separator, object? limit)
    {
        if (!PythonValues.TryInteger(limit, out var maxSplit) || maxSplit < 0 || separator is not string sep || sep.Length == 0)
        {
            return Split(text, separator, limit);
        }
        var parts = new List<object?>();
        var end = text.Length;
        while (parts.Count < maxSplit)
        {
            var at = end == 0 ? -1 : text.LastIndexOf(sep, end - 1, StringComparison.Ordinal);
            if (at < 0 || at + sep.Length > end)
            {
                break;
            }
            parts.Insert(0, text[(at + sep.Length)..end]);
            end = at;
        }
        parts.Insert(0, text[..end]);
        return parts;
    }

    public static List<object?> Split(string text, object? separator, object? limit)
    {
        if (!PythonValues.TryInteger(limit, out var maxSplit))
        {
            throw new PythonValueException("TypeError: maxsplit must be an integer");
        }
        var count = maxSplit < 0 ? int.MaxValue : (int)Math.Min(maxSplit + 1, int.MaxValue);
        switch (separator)
        {
            case null:
                var parts = text.TrimStart().Split((char[]?)null, count, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == count)
                {
                    parts[^1] = parts[^1].TrimStart();
                }
                return parts.Select(part => (object?)part).ToList();
            case "":
                throw new PythonValueException("ValueError: empty separator");
            case string sep:
                return text.Split(sep, count).Select(part => (object?)part).ToList();
            default:
                throw new PythonValueException($"TypeError: must be str or None, not {PythonValues.TypeName(separator)}");
        }
    }

    public static string Format(string template, IReadOnlyList<object?> args, IReadOnlyList<(string Name, object? Value)> keywords)
    {
        var builder = new StringBuilder();
        var automatic = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                builder.Append(c);
                i++;
                continue;
            }
            if (c == '}')
            {
                throw new PythonValueException("ValueError: single '}' encountered in format string");
            }
            if (c != '{')
            {
                builder.Append(c);
                continue;
            }
            var close = template.IndexOf('}', i);
            if (close < 0)
            {
                throw new PythonValueException("ValueError: single '{' encountered in format string");
            }
            var field = template[(i + 1)..close];
            if (field.IndexOfAny([':', '!', '.', '[', '{']) >= 0)
            {
                throw new PythonValueException($"format spec `{{{field}}}` is not supported", "str.format fields look like {}, {0} or {name}");
            }
            object? value;
            if (field.Length == 0 || field.All(char.IsAsciiDigit))
            {
                var index = field.Length == 0 ? automatic++ : int.Parse(field, CultureInfo.InvariantCulture);
                value = index < args.Count ? args[index] : throw new PythonValueException($"IndexError: replacement index {index} out of range for positional args tuple");
            }
            else
            {
                var match = keywords.ToList().FindIndex(keyword => keyword.Name == field);
                value = match >= 0 ? keywords[match].Value : throw new PythonValueException($"KeyError: '{field}'");
            }
            builder.Append(PythonValues.Str(value));
            i = close;
        }
        return builder.ToString();
    }
}
