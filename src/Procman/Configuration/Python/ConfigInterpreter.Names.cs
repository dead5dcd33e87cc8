using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

internal sealed partial class ConfigInterpreter
{
    private const string NoAccess = "procman gives config files no file, process or network access";

    private static readonly HashSet<string> Modules = new(StringComparer.Ordinal) { "os", "os.path", "multiprocessing" };

    private static readonly Dictionary<string, object?> ModuleMembers = new(StringComparer.Ordinal)
    {
        ["os.environ"] = new PythonNamespace("os.environ"),
        ["os.getenv"] = new PythonFunction("os.getenv"),
        ["os.cpu_count"] = new PythonFunction("os.cpu_count"),
        ["os.getcwd"] = new PythonFunction("os.getcwd"),
        ["os.path"] = new PythonNamespace("os.path"),
        ["os.sep"] = "/",
        ["os.pathsep"] = ":",
        ["os.linesep"] = "\n",
        ["os.curdir"] = ".",
        ["os.pardir"] = "..",
        ["os.devnull"] = "/dev/null",
        ["os.name"] = "posix",
        ["os.path.sep"] = "/",
        ["multiprocessing.cpu_count"] = new PythonFunction("multiprocessing.cpu_count"),
    };

    private static readonly HashSet<string> PathFunctions = new(StringComparer.Ordinal)
    {
        "join", "dirname", "basename", "abspath", "normpath", "realpath", "split", "splitext", "isabs", "expanduser", "exists", "isfile", "isdir",
    };

    private static readonly HashSet<string> EnvironMethods = new(StringComparer.Ordinal) { "get", "setdefault" };

    private static readonly HashSet<string> StringMethods = new(StringComparer.Ordinal)
    {
        "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "startswith", "endswith", "replace", "join", "format", "isdigit",
        "isnumeric", "isalpha", "isalnum", "title", "capitalize", "find", "count", "partition", "rpartition", "removeprefix", "removesuffix", "encode",
    };

    private static readonly HashSet<string> DictMethods = new(StringComparer.Ordinal) { "get", "keys", "values", "items", "update", "setdefault", "copy", "pop" };

    private static readonly HashSet<string> ListMethods = new(StringComparer.Ordinal) { "append", "extend", "insert", "pop", "index", "count", "copy", "remove", "sort", "reverse" };

    private static readonly HashSet<string> SetMethods = new(StringComparer.Ordinal) { "add", "update", "discard", "union", "copy" };

    private object? Lookup(Name name, Scope scope)
    {
        if (scope.TryLookup(name.Identifier, out var value))
        {
            return value;
        }
        if (Builtin(name.Identifier) is { } builtin)
        {
            return builtin;
        }
        if (_poisoned.Contains(name.Identifier))
        {
            throw new PoisonedNameException(name.Identifier);
        }
        throw _source.Error(name.Span, $"NameError: name `{name.Identifier}` is not defined",
            "assign names before using them; modules must be imported", "NameError");
    }

    private object ImportModule(string dotted)
    {
        if (Modules.Contains(dotted))
        {
            return new PythonNamespace(dotted);
        }
        // Importing runs nothing; what matters is where the module's names are used (see InertValue).
        return new InertValue(dotted, $"module {dotted.Split('.')[0]} is not available to procman, which runs no Python");
    }

    private object? Member(PythonNamespace ns, string name)
    {
        var dotted = $"{ns.Name}.{name}";
        if (ModuleMembers.TryGetValue(dotted, out var member))
        {
            return member;
        }
        if ((ns.Name == "os.path" && PathFunctions.Contains(name)) || (ns.Name == "os.environ" && EnvironMethods.Contains(name)))
        {
            return new PythonFunction(dotted);
        }
        return MakeInert(dotted, NoAccess);
    }

    private object? GetAttribute(object? value, AttributeAccess access)
    {
        var name = access.Attribute;
        return value switch
        {
            PythonNamespace ns => Member(ns, name),
            InertValue inert => MakeInert($"{inert.Description}.{name}", inert.Reason),
            string when StringMethods.Contains(name) => new PythonFunction("str." + name, value),
            IReadOnlyDictionary<object, object?> when DictMethods.Contains(name) => new PythonFunction("dict." + name, value),
            List<object?> when ListMethods.Contains(name) => new PythonFunction("list." + name, value),
            object?[] when name is "index" or "count" => new PythonFunction("list." + name, value),
            HashSet<object?> when SetMethods.Contains(name) => new PythonFunction("set." + name, value),
            ExceptionValue exception when name == "args" => new object?[] { exception.Message },
            _ => throw _source.Error(access.Span, $"AttributeError: '{PythonValues.TypeName(value)}' object has no attribute `{name}` that procman supports",
                PythonParser.SupportedExpressions, "AttributeError"),
        };
    }

    private object? GetItem(object? value, object? key)
    {
        switch (value)
        {
            case PythonNamespace { Name: "os.environ" }:
                if (key is not string name)
                {
                    throw new PythonValueException($"TypeError: environment variable names are strings, not {PythonValues.TypeName(key)}");
                }
                return GetEnvironment(name) ?? throw new PythonValueException(
                    $"KeyError: environment variable {PythonValues.Repr(name)} is not set",
                    $"use os.environ.get({PythonValues.Repr(name)}, default) to fall back to a default");
            case IReadOnlyDictionary<object, object?> dict:
                return key is not null && dict.TryGetValue(key, out var found)
                    ? found
                    : throw new PythonValueException($"KeyError: {PythonValues.Repr(key)}", "use d.get(key, default) to fall back to a default");
            case PythonRange range:
                return PythonValues.Index(range.Items().Take(EvaluationLimits.MaxSequenceLength).ToList(), key);
            default:
                return PythonValues.Index(value, key);
        }
    }

    private void SetItem(object? container, object? key, object? value, Span span)
    {
        switch (container)
        {
            case InertValue inert:
                MakeInert($"{inert.Description}[...]", inert.Reason);
                return;
            case PythonNamespace { Name: "os.environ" }:
                // Changes the file's view of the environment only: procman's own environment is never touched.
                _environmentChanges[key as string ?? throw _source.Error(span, "TypeError: environment variable names are strings", "", "TypeError")] =
                    value as string ?? throw _source.Error(span, $"TypeError: str expected, not {PythonValues.TypeName(value)}", "", "TypeError");
                return;
            case Dictionary<object, object?> dict:
                dict[Hashable(key, span)!] = value;
                CheckLength(dict.Count, span);
                return;
            case List<object?> list:
                Guard(span, () => list[PythonValues.Position(list.Count, key)] = value);
                return;
            default:
                throw _source.Error(span, $"TypeError: '{PythonValues.TypeName(container)}' object does not support item assignment", "", "TypeError");
        }
    }

    private static bool DeleteItem(object? container, object? key)
    {
        switch (container)
        {
            case Dictionary<object, object?> dict:
                return key is not null && dict.Remove(key) ? true : throw new PythonValueException($"KeyError: {PythonValues.Repr(key)}");
            case List<object?> list:
                list.RemoveAt(PythonValues.Position(list.Count, key));
                return true;
            default:
                throw new PythonValueException($"TypeError: '{PythonValues.TypeName(container)}' object does not support item deletion");
        }
    }

    private string? GetEnvironment(string name) => _environmentChanges.TryGetValue(name, out var changed) ? changed : _environment.Get(name);
}
