using System.Globalization;
using System.Text;

namespace Procman.Configuration.Python;

/// <summary>
/// Python semantics over the CLR values the evaluator uses: <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="bool"/>, null, <see cref="List{T}"/> (list), <c>object?[]</c> (tuple)
/// and <see cref="Dictionary{TKey, TValue}"/> (dict).
/// </summary>
internal static partial class PythonValues
{
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        IReadOnlyDictionary<object, object?> dict => dict.Count > 0,
        HashSet<object?> set => set.Count > 0,
        PythonRange range => range.Count > 0,
        _ => true,
    };

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        object?[] => "tuple",
        IReadOnlyList<object?> => "list",
        IReadOnlyDictionary<object, object?> => "dict",
        HashSet<object?> => "set",
        PythonRange => "range",
        PythonNamespace => "module",
        PythonFunction => "builtin_function_or_method",
        ExceptionType => "type",
        ExceptionValue exception => exception.Type,
        _ => "function",
    };

    public static bool IsData(object? value) => IsData(value, 0);

    private static bool IsData(object? value, int depth) => value is null or bool or long or double or string
        || (value is IReadOnlyList<object?> list && Nested(depth) && list.All(item => IsData(item, depth + 1)))
        || (value is IReadOnlyDictionary<object, object?> dict && Nested(depth) && dict.Values.All(item => IsData(item, depth + 1)))
        || (value is HashSet<object?> set && set.All(IsData));

    /// <summary>
    /// Bounds every walk over a value: a list can be nested deeper than any literal at run time (x = [x] in
    /// a loop) or contain itself (x.append(x)), and neither may overflow the stack.
    /// </summary>
    public static bool Nested(int depth) => depth < EvaluationLimits.MaxValueNesting
        ? true
        : throw new PythonValueException($"the value is nested too deeply (or contains itself); the limit is {EvaluationLimits.MaxValueNesting} levels", "a config file should compute settings, not data");

    public static string Str(object? value) => value switch
    {
        string s => s,
        ExceptionValue exception => exception.Message,
        _ => Repr(value),
    };

    public static string Repr(object? value) => Repr(value, 0);

    private static string Repr(object? value, int depth) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        string s => ReprString(s),
        object?[] tuple when Nested(depth) => tuple.Length == 1 ? $"({Repr(tuple[0], depth + 1)},)" : $"({string.Join(", ", tuple.Select(item => Repr(item, depth + 1)))})",
        IReadOnlyList<object?> list when Nested(depth) => $"[{string.Join(", ", list.Select(item => Repr(item, depth + 1)))}]",
        IReadOnlyDictionary<object, object?> dict when Nested(depth) => $"{{{string.Join(", ", dict.Select(pair => $"{Repr(pair.Key)}: {Repr(pair.Value, depth + 1)}"))}}}",
        HashSet<object?> set => set.Count == 0 ? "set()" : $"{{{string.Join(", ", set.Select(item => Repr(item)))}}}",
        PythonRange range => range.Step == 1 ? $"range({range.Start}, {range.Stop})" : $"range({range.Start}, {range.Stop}, {range.Step})",
        PythonNamespace ns => $"<module '{ns.Name}'>",
        PythonFunction function => $"<built-in function {function.Name}>",
        ExceptionType type => $"<class '{type.Name}'>",
        ExceptionValue exception => $"{exception.Type}({ReprString(exception.Message)})",
        InertValue inert => $"<{inert.Description}>",
        ConfigFunction function => $"<function {function.Name}>",
        _ => $"<function {value}>",
    };

    /// <summary>Formats like Python's <c>repr(float)</c>: shortest round-trip digits, exponent only outside 1e-4..1e16.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        var roundTrip = value.ToString("E16", CultureInfo.InvariantCulture);
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = int.Parse(roundTrip[(roundTrip.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        var sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        var mantissa = shortest.TrimStart('-');
        var e = mantissa.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            mantissa = mantissa[..e];
        }
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }
        if (exponent is < -4 or >= 16)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{fraction}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        if (exponent < 0)
        {
            return $"{sign}0.{new string('0', -exponent - 1)}{digits}";
        }
        if (digits.Length <= exponent + 1)
        {
            return $"{sign}{digits}{new string('0', exponent + 1 - digits.Length)}.0";
        }
        return $"{sign}{digits[..(exponent + 1)]}.{digits[(exponent + 1)..]}";
    }

    private static string ReprString(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '\n' => builder.Append(@"\n"),
                '\r' => builder.Append(@"\r"),
                '\t' => builder.Append(@"\t"),
                _ when c == quote => builder.Append('\\').Append(c),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => builder.Append(c),
            };
        }
        return builder.Append(quote).ToString();
    }

    public static bool Equal(object? left, object? right) => Equal(left, right, 0);

    private static bool Equal(object? left, object? right, int depth)
    {
        if (IsNumber(left) && IsNumber(right))
        {
            return TryInteger(left, out var a) && TryInteger(right, out var b) ? a == b : ToDouble(left) == ToDouble(right);
        }
        return (left, right) switch
        {
            (null, null) => true,
            (string a, string b) => a == b,
            (object?[] a, object?[] b) => Nested(depth) && SequenceEqual(a, b, depth),
            (List<object?> a, List<object?> b) => Nested(depth) && SequenceEqual(a, b, depth),
            (IReadOnlyDictionary<object, object?> a, IReadOnlyDictionary<object, object?> b) => Nested(depth) &&
                a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && Equal(pair.Value, other, depth + 1)),
            (HashSet<object?> a, HashSet<object?> b) => a.SetEquals(b),
            _ => Equals(left, right),
        };
    }

    private static bool SequenceEqual(IReadOnlyList<object?> a, IReadOnlyList<object?> b, int depth) =>
        a.Count == b.Count && a.Zip(b).All(pair => Equal(pair.First, pair.Second, depth + 1));

    /// <summary>Python's ordering: -1, 0 or 1; TypeError for values that have none.</summary>
    public static int Compare(object? left, object? right, string op) => Compare(left, right, op, 0);

    private static int Compare(object? left, object? right, string op, int depth)
    {
        if (IsNumber(left) && IsNumber(right))
        {
            return TryInteger(left, out var a) && TryInteger(right, out var b) ? a.CompareTo(b) : ToDouble(left).CompareTo(ToDouble(right));
        }
        switch (left, right)
        {
            case (string a, string b):
                return Math.Sign(string.CompareOrdinal(a, b));
            case (object?[] a, object?[] b):
                return Nested(depth) ? CompareSequences(a, b, op, depth) : 0;
            case (List<object?> a, List<object?> b):
                return Nested(depth) ? CompareSequences(a, b, op, depth) : 0;
            default:
                throw new PythonValueException($"TypeError: '{op}' not supported between instances of '{TypeName(left)}' and '{TypeName(right)}'");
        }
    }

    private static int CompareSequences(IReadOnlyList<object?> a, IReadOnlyList<object?> b, string op, int depth)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (!Equal(a[i], b[i], depth + 1))
            {
                return Compare(a[i], b[i], op, depth + 1);
            }
        }
        return a.Count.CompareTo(b.Count);
    }

    public static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string part => s.Contains(part, StringComparison.Ordinal),
        string => throw new PythonValueException($"TypeError: 'in <string>' requires string as left operand, not {TypeName(item)}"),
        IReadOnlyList<object?> list => list.Any(element => Equal(element, item)),
        IReadOnlyDictionary<object, object?> dict => item is not null && dict.ContainsKey(item),
        HashSet<object?> set => set.Contains(item),
        _ => throw new PythonValueException($"TypeError: argument of type '{TypeName(container)}' is not iterable"),
    };

    /// <summary>Python's <c>sequence[index]</c> for strings, lists and tuples.</summary>
    public static object? Index(object? value, object? key)
    {
        switch (value)
        {
            case string text:
                return text[Position(text.Length, key)].ToString();
            case IReadOnlyList<object?> list:
                return list[Position(list.Count, key)];
            default:
                throw new PythonValueException($"TypeError: '{TypeName(value)}' object is not subscriptable");
        }
    }

    /// <summary>The position an index means in a sequence of <paramref name="length"/> (negative counts from the end).</summary>
    public static int Position(int length, object? key)
    {
        if (!TryInteger(key, out var index))
        {
            throw new PythonValueException($"TypeError: indices must be integers, not {TypeName(key)}");
        }
        var position = index < 0 ? index + length : index;
        return position < 0 || position >= length
            ? throw new PythonValueException("IndexError: index out of range")
            : (int)position;
    }

    public static object Slice(object? value, object? lower, object? upper, object? step)
    {
        var length = value switch
        {
            string s => s.Length,
            IReadOnlyList<object?> list => list.Count,
            _ => throw new PythonValueException($"TypeError: '{TypeName(value)}' object is not subscriptable"),
        };
        long stride = 1;
        if (step is not null && (!TryInteger(step, out stride) || stride == 0))
        {
            throw new PythonValueException(stride == 0 && step is long ? "ValueError: slice step cannot be zero" : "TypeError: slice indices must be integers or None");
        }
        var positions = new List<int>();
        if (stride > 0)
        {
            for (long i = SliceBound(lower, 0, length, 0, length), stop = SliceBound(upper, length, length, 0, length); i < stop; i += stride)
            {
                positions.Add((int)i);
            }
        }
        else
        {
            for (long i = SliceBound(lower, length - 1, length, -1, length - 1), stop = SliceBound(upper, -1, length, -1, length - 1); i > stop; i += stride)
            {
                positions.Add((int)i);
            }
        }
        return value switch
        {
            string s => string.Concat(positions.Select(i => s[i])),
            object?[] tuple => positions.Select(i => tuple[i]).ToArray(),
            _ => positions.Select(i => ((IReadOnlyList<object?>)value!)[i]).ToList(),
        };
    }

    private static long SliceBound(object? bound, long fallback, int length, long min, long max)
    {
        if (bound is null)
        {
            return fallback;
        }
        if (!TryInteger(bound, out var index))
        {
            throw new PythonValueException($"TypeError: slice indices must be integers or None, not {TypeName(bound)}");
        }
        return Math.Clamp(index < 0 ? index + length : index, min, max);
    }

    public static bool IsNumber(object? value) => value is long or double or bool;

    public static bool TryInteger(object? value, out long result)
    {
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case bool b:
                result = b ? 1 : 0;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new PythonValueException($"TypeError: must be real number, not {TypeName(value)}"),
    };
}
