namespace Procman.Configuration.Python;

internal sealed partial class ConfigInterpreter
{
    private const string SupportedModules = "supported modules: os, os.path, multiprocessing";

    private static readonly HashSet<string> Modules = new(StringComparer.Ordinal) { "os", "os.path", "multiprocessing" };

    private static readonly HashSet<string> Builtins = new(StringComparer.Ordinal)
    {
        "int", "float", "str", "bool", "len", "min", "max", "abs", "round",
    };

    private static readonly Dictionary<string, object> ModuleMembers = new(StringComparer.Ordinal)
    {
        ["os.environ"] = new PythonNamespace("os.environ"),
        ["os.environ.get"] = new PythonFunction("os.environ.get"),
        ["os.getenv"] = new PythonFunction("os.getenv"),
        ["os.cpu_count"] = new PythonFunction("os.cpu_count"),
        ["os.path"] = new PythonNamespace("os.path"),
        ["os.path.join"] = new PythonFunction("os.path.join"),
        ["os.path.dirname"] = new PythonFunction("os.path.dirname"),
        ["os.path.basename"] = new PythonFunction("os.path.basename"),
        ["multiprocessing.cpu_count"] = new PythonFunction("multiprocessing.cpu_count"),
    };

    private static readonly HashSet<string> StringMethods = new(StringComparer.Ordinal)
    {
        "lower", "upper", "strip", "lstrip", "rstrip", "split", "startswith", "endswith", "replace", "join", "format", "isdigit",
    };

    private static readonly HashSet<string> DictMethods = new(StringComparer.Ordinal) { "get", "keys", "values", "items" };

    private void ParseImport()
    {
        Advance();
        do
        {
            var (first, dotted) = ParseModuleName();
            var alias = AcceptKeyword("as") ? ExpectName("after `as`").Text : null;
            if (_executing)
            {
                Rebind(alias ?? first, new PythonNamespace(alias is null ? first : dotted));
            }
        }
        while (AcceptOperator(","));
    }

    private void ParseFromImport()
    {
        Advance();
        if (Current.IsOperator(".") || Current.IsOperator("..."))
        {
            throw ErrorAtLine(Current, "relative imports are not supported", SupportedModules);
        }
        var (_, dotted) = ParseModuleName();
        if (!AcceptKeyword("import"))
        {
            throw Unexpected("expected `import`", SupportedStatements);
        }
        var parenthesized = AcceptOperator("(");
        if (Current.IsOperator("*"))
        {
            throw ErrorAtLine(Current, "`from ... import *` is not supported", "import names explicitly, as in `from os import environ`");
        }
        do
        {
            if (parenthesized && Current.IsOperator(")"))
            {
                break;
            }
            var name = ExpectName("to import");
            if (!ModuleMembers.TryGetValue($"{dotted}.{name.Text}", out var member))
            {
                throw _source.Error(name.Start, name.End, $"`{dotted}.{name.Text}` is not supported", $"importable from {dotted}: {MembersOf(dotted)}");
            }
            var alias = AcceptKeyword("as") ? ExpectName("after `as`").Text : name.Text;
            if (_executing)
            {
                Rebind(alias, member);
            }
        }
        while (AcceptOperator(","));
        if (parenthesized)
        {
            ExpectOperator(")", "to close the import list");
        }
    }

    private (string First, string Dotted) ParseModuleName()
    {
        var start = Current;
        var first = ExpectName("of a module").Text;
        var dotted = first;
        while (AcceptOperator("."))
        {
            dotted += "." + ExpectName("in the module name").Text;
        }
        if (!Modules.Contains(dotted))
        {
            throw _source.Error(start.Start, Previous.End, $"module `{dotted}` is not supported", SupportedModules);
        }
        return (first, dotted);
    }

    private static string MembersOf(string dotted) => string.Join(", ",
        ModuleMembers.Keys.Where(key => key.StartsWith(dotted + ".", StringComparison.Ordinal) && !key[(dotted.Length + 1)..].Contains('.', StringComparison.Ordinal))
            .Select(key => key[(dotted.Length + 1)..]));

    private object? LookupName(Token token)
    {
        if (_names.TryGetValue(token.Text, out var value))
        {
            return value is ConfigHook
                ? throw _source.Error(token.Start, token.End, $"`{token.Text}` is a function defined with def; hooks are not executed", "functions in config files are only recorded as hooks, never called")
                : value;
        }
        if (Builtins.Contains(token.Text))
        {
            return new PythonFunction(token.Text);
        }
        throw _source.Error(token.Start, token.End, $"name `{token.Text}` is not defined",
            "assign names before using them; builtins: int, float, str, bool, len, min, max, abs, round; modules must be imported");
    }

    private object GetAttribute(Token start, object? value, Token name) => value switch
    {
        PythonNamespace ns => ModuleMembers.TryGetValue($"{ns.Name}.{name.Text}", out var member)
            ? member
            : throw ErrorSpan(start, $"`{ns.Name}.{name.Text}` is not supported", $"supported in {ns.Name}: {MembersOf(ns.Name)}"),
        string when StringMethods.Contains(name.Text) => new PythonFunction("str." + name.Text, value),
        IReadOnlyDictionary<object, object?> when DictMethods.Contains(name.Text) => new PythonFunction("dict." + name.Text, value),
        string => throw ErrorSpan(start, $"str method `{name.Text}` is not supported", $"supported str methods: {string.Join(", ", StringMethods)}"),
        IReadOnlyDictionary<object, object?> => throw ErrorSpan(start, $"dict method `{name.Text}` is not supported", "supported dict methods: get, keys, values, items"),
        _ => throw ErrorSpan(start, $"'{PythonValues.TypeName(value)}' object has no supported attribute `{name.Text}`", SupportedExpressions),
    };

    private object? Index(object? value, object? key)
    {
        switch (value)
        {
            case PythonNamespace { Name: "os.environ" }:
                if (key is not string name)
                {
                    throw new PythonValueException($"TypeError: environment variable names are strings, not {PythonValues.TypeName(key)}");
                }
                return _environment.Get(name) ?? throw new PythonValueException(
                    $"KeyError: environment variable {PythonValues.Repr(name)} is not set",
                    $"use os.environ.get({PythonValues.Repr(name)}, default) to fall back to a default");
            case IReadOnlyDictionary<object, object?> dict:
                return key is not null && dict.TryGetValue(key, out var found)
                    ? found
                    : throw new PythonValueException($"KeyError: {PythonValues.Repr(key)}", "use d.get(key, default) to fall back to a default");
            case string or IReadOnlyList<object?>:
                var length = value is string s ? s.Length : ((IReadOnlyList<object?>)value).Count;
                if (!PythonValues.TryInteger(key, out var index))
                {
                    throw new PythonValueException($"TypeError: indices must be integers, not {PythonValues.TypeName(key)}");
                }
                var position = index < 0 ? index + length : index;
                if (position < 0 || position >= length)
                {
                    throw new PythonValueException($"IndexError: {PythonValues.TypeName(value)} index out of range");
                }
                return value is string text ? text[(int)position].ToString() : ((IReadOnlyList<object?>)value)[(int)position];
            default:
                throw new PythonValueException($"TypeError: '{PythonValues.TypeName(value)}' object is not subscriptable");
        }
    }

    private static object Slice(object? value, object? lower, object? upper)
    {
        var length = value switch
        {
            string s => s.Length,
            IReadOnlyList<object?> list => list.Count,
            _ => throw new PythonValueException($"TypeError: '{PythonValues.TypeName(value)}' object is not subscriptable"),
        };
        var start = SliceBound(lower, 0, length);
        var stop = Math.Max(start, SliceBound(upper, length, length));
        return value switch
        {
            string s => s[start..stop],
            object?[] tuple => tuple[start..stop],
            _ => ((IReadOnlyList<object?>)value!).Skip(start).Take(stop - start).ToList(),
        };
    }

    private static int SliceBound(object? bound, int fallback, int length)
    {
        if (bound is null)
        {
            return fallback;
        }
        if (!PythonValues.TryInteger(bound, out var index))
        {
            throw new PythonValueException($"TypeError: slice indices must be integers or None, not {PythonValues.TypeName(bound)}");
        }
        return (int)Math.Clamp(index < 0 ? index + length : index, 0, length);
    }
}
