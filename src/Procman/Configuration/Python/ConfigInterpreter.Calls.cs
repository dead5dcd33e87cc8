using System.Globalization;
using System.Text;

namespace Procman.Configuration.Python;

internal sealed partial class ConfigInterpreter
{
    private const string DefaultHint = "give it a default, as in int(os.getenv(\"WEB_CONCURRENCY\", \"4\"))";

    private object? Call(Token start, object? callee, List<object?> arguments, List<(Token Name, object? Value)> keywords)
    {
        if (callee is not PythonFunction function)
        {
            throw ErrorSpan(start, $"'{PythonValues.TypeName(callee)}' object is not callable", SupportedExpressions);
        }
        if (keywords.Count > 0 && function.Name != "str.format")
        {
            var name = keywords[0].Name;
            throw _source.Error(name.Start, name.End, $"keyword arguments are not supported for {function.Name}()", "pass arguments by position");
        }
        return Guard(start, () => Invoke(function, arguments, keywords));
    }

    private object? Invoke(PythonFunction function, List<object?> args, List<(Token Name, object? Value)> keywords)
    {
        switch (function.Name)
        {
            case "int":
                Arity(function, args, 1, 2);
                return args.Count == 2 ? ParseInteger(args[0], args[1]) : ToInteger(args[0]);
            case "float":
                Arity(function, args, 0, 1);
                return args.Count == 0 ? 0.0 : ToFloat(args[0]);
            case "str":
                Arity(function, args, 0, 1);
                return args.Count == 0 ? "" : PythonValues.Str(args[0]);
            case "bool":
                Arity(function, args, 0, 1);
                return args.Count != 0 && PythonValues.Truthy(args[0]);
            case "len":
                Arity(function, args, 1, 1);
                return Length(args[0]);
            case "abs":
                Arity(function, args, 1, 1);
                return args[0] is double d ? Math.Abs(d) : PythonValues.TryInteger(args[0], out var l)
                    ? (object)checked(Math.Abs(l))
                    : throw new PythonValueException($"TypeError: bad operand type for abs(): '{PythonValues.TypeName(args[0])}'");
            case "min" or "max":
                return Extreme(function.Name, args);
            case "round":
                Arity(function, args, 1, 2);
                return Round(args[0], args.Count == 2 ? args[1] : null);
            case "os.getenv" or "os.environ.get":
                Arity(function, args, 1, 2);
                return _environment.Get(RequireString(function, args[0])) ?? (args.Count == 2 ? args[1] : null);
            case "os.cpu_count" or "multiprocessing.cpu_count":
                Arity(function, args, 0, 0);
                return (long)_cpuCount;
            case "os.path.join":
                Arity(function, args, 1, int.MaxValue);
                return args.Select(arg => RequireString(function, arg)).Aggregate(JoinPath);
            case "os.path.dirname":
                Arity(function, args, 1, 1);
                return DirectoryName(RequireString(function, args[0]));
            case "os.path.basename":
                Arity(function, args, 1, 1);
                var path = RequireString(function, args[0]);
                return path[(path.LastIndexOf('/') + 1)..];
            case "dict.get":
                Arity(function, args, 1, 2);
                var dict = (IReadOnlyDictionary<object, object?>)function.Receiver!;
                return args[0] is not null && dict.TryGetValue(args[0]!, out var found) ? found : args.Count == 2 ? args[1] : null;
            case "dict.keys":
                Arity(function, args, 0, 0);
                return ((IReadOnlyDictionary<object, object?>)function.Receiver!).Keys.Cast<object?>().ToList();
            case "dict.values":
                Arity(function, args, 0, 0);
                return ((IReadOnlyDictionary<object, object?>)function.Receiver!).Values.ToList();
            case "dict.items":
                Arity(function, args, 0, 0);
                return ((IReadOnlyDictionary<object, object?>)function.Receiver!).Select(pair => (object?)new object?[] { pair.Key, pair.Value }).ToList();
            default:
                return InvokeStringMethod(function, (string)function.Receiver!, args, keywords);
        }
    }

    private static void Arity(PythonFunction function, List<object?> args, int min, int max)
    {
        if (args.Count >= min && args.Count <= max)
        {
            return;
        }
        var expected = min == max ? $"exactly {min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
        throw new PythonValueException($"TypeError: {function.Name}() takes {expected} argument{(max == 1 ? "" : "s")} ({args.Count} given)");
    }

    private static string RequireString(PythonFunction function, object? value) => value as string
        ?? throw new PythonValueException($"TypeError: {function.Name}() expects a str, not {PythonValues.TypeName(value)}");

    private static long ToInteger(object? value)
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

    private static long ParseInteger(object? value, object? radix)
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

    private static double ToFloat(object? value)
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

    private static long Length(object? value) => value switch
    {
        string s => s.Length,
        IReadOnlyList<object?> list => list.Count,
        IReadOnlyDictionary<object, object?> dict => dict.Count,
        _ => throw new PythonValueException($"TypeError: object of type '{PythonValues.TypeName(value)}' has no len()"),
    };

    private static object? Extreme(string name, List<object?> args)
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

    private static object Round(object? value, object? digits)
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

    private static string JoinPath(string left, string right) =>
        right.StartsWith('/') ? right : left.Length == 0 || left.EndsWith('/') ? left + right : $"{left}/{right}";

    private static string DirectoryName(string path)
    {
        var head = path[..(path.LastIndexOf('/') + 1)];
        return head.Length > 0 && head.Any(c => c != '/') ? head.TrimEnd('/') : head;
    }

    private static object InvokeStringMethod(PythonFunction function, string text, List<object?> args, List<(Token Name, object? Value)> keywords)
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
            case "str.isdigit":
                Arity(function, args, 0, 0);
                return text.Length > 0 && text.All(char.IsDigit);
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
                return old.Length == 0 ? text : text.Replace(old, RequireString(function, args[1]), StringComparison.Ordinal);
            default:
                Arity(function, args, 1, 1);
                return args[0] is IReadOnlyList<object?> items
                    ? string.Join(text, items.Select(item => RequireString(function, item)))
                    : throw new PythonValueException($"TypeError: can only join a list or tuple, not '{PythonValues.TypeName(args[0])}'");
        }
    }

    private static List<object?> Split(string text, object? separator, object? limit)
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

    private static string Format(string template, List<object?> args, List<(Token Name, object? Value)> keywords)
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
                var match = keywords.FindIndex(keyword => keyword.Name.Text == field);
                value = match >= 0 ? keywords[match].Value : throw new PythonValueException($"KeyError: '{field}'");
            }
            builder.Append(PythonValues.Str(value));
            i = close;
        }
        return builder.ToString();
    }
}
