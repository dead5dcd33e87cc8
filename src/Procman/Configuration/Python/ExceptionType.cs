namespace Procman.Configuration.Python;

/// <summary>A builtin exception class a try/except may name (the safe set: no system or I/O errors).</summary>
internal sealed record ExceptionType(string Name)
{
    private static readonly Dictionary<string, string?> Bases = new(StringComparer.Ordinal)
    {
        ["BaseException"] = null,
        ["Exception"] = "BaseException",
        ["ArithmeticError"] = "Exception",
        ["ZeroDivisionError"] = "ArithmeticError",
        ["OverflowError"] = "ArithmeticError",
        ["LookupError"] = "Exception",
        ["KeyError"] = "LookupError",
        ["IndexError"] = "LookupError",
        ["ValueError"] = "Exception",
        ["TypeError"] = "Exception",
        ["NameError"] = "Exception",
        ["AttributeError"] = "Exception",
        ["AssertionError"] = "Exception",
        ["RuntimeError"] = "Exception",
        ["ImportError"] = "Exception",
        ["ModuleNotFoundError"] = "ImportError",
    };

    public static IEnumerable<string> Names => Bases.Keys;

    /// <summary>Whether an error of type <paramref name="raised"/> is caught by <c>except Name</c>.</summary>
    public bool Catches(string raised)
    {
        for (string? type = raised; type is not null; type = Bases.GetValueOrDefault(type))
        {
            if (type == Name)
            {
                return true;
            }
        }
        return false;
    }
}
