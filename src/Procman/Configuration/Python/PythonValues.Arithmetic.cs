namespace Procman.Configuration.Python;

internal static partial class PythonValues
{
    public static object? Binary(string op, object? left, object? right)
    {
        try
        {
            return op switch
            {
                "+" => Add(left, right),
                "-" => Numeric(op, left, right, (a, b) => checked(a - b), (a, b) => a - b),
                "*" => Multiply(left, right),
                "/" => TrueDivide(left, right),
                "//" => Numeric(op, left, right, FloorDivide, (a, b) => Math.Floor(NonZero(a, b) / b)),
                "%" => Modulo(left, right),
                "**" => Power(left, right),
                "|" or "&" or "^" or "<<" or ">>" => Bitwise(op, left, right),
                _ => throw new PythonValueException($"operator `{op}` is not supported"),
            };
        }
        catch (OverflowException)
        {
            throw new PythonValueException($"OverflowError: result of `{op}` does not fit in a 64-bit integer (procman's integers are 64-bit)");
        }
    }

    public static object? Unary(string op, object? operand)
    {
        if (op == "+" && IsNumber(operand))
        {
            return operand is bool b ? (b ? 1L : 0L) : operand;
        }
        if (op == "-" && TryInteger(operand, out var integer))
        {
            return integer == long.MinValue
                ? throw new PythonValueException("OverflowError: result of `-` does not fit in a 64-bit integer")
                : -integer;
        }
        if (op == "-" && operand is double d)
        {
            return -d;
        }
        if (op == "~" && TryInteger(operand, out var bits))
        {
            return ~bits;
        }
        throw new PythonValueException($"TypeError: bad operand type for unary {op}: '{TypeName(operand)}'");
    }

    private static object? Add(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => a + b,
        (object?[] a, object?[] b) => a.Concat(b).ToArray(),
        (List<object?> a, List<object?> b) => a.Concat(b).ToList(),
        _ => Numeric("+", left, right, (a, b) => checked(a + b), (a, b) => a + b),
    };

    private static object? Multiply(object? left, object? right)
    {
        if (left is string or IReadOnlyList<object?> && TryInteger(right, out var count))
        {
            return Repeat(left, count);
        }
        if (right is string or IReadOnlyList<object?> && TryInteger(left, out count))
        {
            return Repeat(right, count);
        }
        return Numeric("*", left, right, (a, b) => checked(a * b), (a, b) => a * b);
    }

    private static object Repeat(object? sequence, long count)
    {
        var times = (int)Math.Clamp(count, 0, int.MaxValue);
        var length = sequence is string text ? text.Length : ((IReadOnlyCollection<object?>)sequence!).Count;
        // Checked before anything is allocated: `[0] * 100000 * 100000` must fail, not exhaust memory.
        var total = (decimal)length * Math.Max(count, 0);
        var limit = sequence is string ? EvaluationLimits.MaxStringLength : EvaluationLimits.MaxSequenceLength;
        if (total > limit)
        {
            throw new PythonValueException(sequence is string
                ? $"the string would be {total:N0} characters long; strings are limited to {limit:N0}"
                : $"the collection would hold {total:N0} items; collections are limited to {limit:N0}", "a config file should compute settings, not data");
        }
        return sequence switch
        {
            string s => string.Concat(Enumerable.Repeat(s, times)),
            object?[] tuple => Enumerable.Repeat(tuple, times).SelectMany(t => t).ToArray(),
            _ => Enumerable.Repeat((IReadOnlyList<object?>)sequence!, times).SelectMany(l => l).ToList(),
        };
    }

    private static double TrueDivide(object? left, object? right)
    {
        if (!IsNumber(left) || !IsNumber(right))
        {
            throw OperandError("/", left, right);
        }
        return NonZero(ToDouble(left), ToDouble(right)) / ToDouble(right);
    }

    private static double NonZero(double left, double right) =>
        right == 0 ? throw new PythonValueException("ZeroDivisionError: division by zero") : left;

    private static long FloorDivide(long a, long b)
    {
        if (b == 0)
        {
            throw new PythonValueException("ZeroDivisionError: integer division or modulo by zero");
        }
        var quotient = checked(a / b);
        return (a % b != 0) && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

    private static object? Modulo(object? left, object? right)
    {
        return Numeric("%", left, right,
            (a, b) => b == 0 ? throw new PythonValueException("ZeroDivisionError: integer division or modulo by zero") : ((a % b) + b) % b,
            (a, b) => NonZero(a, b) - (b * Math.Floor(a / b)));
    }

    private static object? Power(object? left, object? right)
    {
        if (TryInteger(left, out var a) && TryInteger(right, out var b) && b >= 0)
        {
            long result = 1;
            var factor = a;
            for (var exponent = b; exponent > 0; exponent >>= 1)
            {
                if ((exponent & 1) == 1)
                {
                    result = checked(result * factor);
                }
                if (exponent > 1)
                {
                    factor = checked(factor * factor);
                }
            }
            return result;
        }
        if (!IsNumber(left) || !IsNumber(right))
        {
            throw OperandError("**", left, right);
        }
        if (ToDouble(left) == 0 && ToDouble(right) < 0)
        {
            throw new PythonValueException("ZeroDivisionError: zero cannot be raised to a negative power");
        }
        return Math.Pow(ToDouble(left), ToDouble(right));
    }

    private static object Bitwise(string op, object? left, object? right)
    {
        if (left is HashSet<object?> a && right is HashSet<object?> b && op is "|" or "&" or "^")
        {
            var result = new HashSet<object?>(a, PythonKeyComparer.Instance);
            switch (op)
            {
                case "|":
                    result.UnionWith(b);
                    break;
                case "&":
                    result.IntersectWith(b);
                    break;
                default:
                    result.SymmetricExceptWith(b);
                    break;
            }
            return result;
        }
        if (!TryInteger(left, out var x) || !TryInteger(right, out var y))
        {
            throw OperandError(op, left, right);
        }
        if (op is "<<" or ">>" && y < 0)
        {
            throw new PythonValueException("ValueError: negative shift count");
        }
        return op switch
        {
            "|" => left is bool && right is bool ? (object)((x | y) != 0) : x | y,
            "&" => left is bool && right is bool ? (object)((x & y) != 0) : x & y,
            "^" => left is bool && right is bool ? (object)((x ^ y) != 0) : x ^ y,
            "<<" => y >= 63 || (x != 0 && (Math.Abs(x) >> (int)(63 - y)) != 0)
                ? throw new OverflowException()
                : x << (int)y,
            _ => y >= 63 ? (x < 0 ? -1L : 0L) : x >> (int)y,
        };
    }

    private static object Numeric(string op, object? left, object? right, Func<long, long, long> integers, Func<double, double, double> floats)
    {
        if (TryInteger(left, out var a) && TryInteger(right, out var b))
        {
            return integers(a, b);
        }
        if (IsNumber(left) && IsNumber(right))
        {
            return floats(ToDouble(left), ToDouble(right));
        }
        throw OperandError(op, left, right);
    }

    private static PythonValueException OperandError(string op, object? left, object? right) =>
        new($"TypeError: unsupported operand type(s) for {op}: '{TypeName(left)}' and '{TypeName(right)}'");
}
