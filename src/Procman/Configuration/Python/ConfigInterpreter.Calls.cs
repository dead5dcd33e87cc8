using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

internal sealed partial class ConfigInterpreter
{
    private static readonly HashSet<string> Builtins = new(StringComparer.Ordinal)
    {
        "int", "float", "str", "bool", "len", "min", "max", "abs", "round", "range", "list", "tuple", "dict", "set", "sorted",
        "sum", "any", "all", "enumerate", "zip", "isinstance", "print", "repr", "reversed", "map", "filter",
    };

    /// <summary>Builtins whose keyword arguments mean something; every other builtin takes positional arguments only.</summary>
    private static readonly HashSet<string> TakesKeywords = new(StringComparer.Ordinal)
    {
        "str.format", "print", "dict", "sorted", "int", "str.split", "str.rsplit", "dict.update", "os.environ.get", "os.getenv",
    };

    private static object? Builtin(string name) => Builtins.Contains(name)
        ? new PythonFunction(name)
        : ExceptionType.Names.Contains(name) ? new ExceptionType(name) : null;

    private object? Invoke(object? callee, List<object?> args, List<(string Name, object? Value)> keywords, Call call)
    {
        switch (callee)
        {
            case ConfigFunction function:
                return CallFunction(function, args, keywords, call);
            case ExceptionType type:
                return new ExceptionValue(type.Name, args.Count > 0 ? PythonValues.Str(args[0]) : "");
            case InertValue inert:
                return MakeInert(inert.Description, inert.Reason);
            case PythonFunction builtin:
                if (keywords.Count > 0 && !TakesKeywords.Contains(builtin.Name))
                {
                    var keyword = call.Keywords[0];
                    throw _source.Error(keyword.Span, $"keyword arguments are not supported for {builtin.Name}()", "pass arguments by position");
                }
                if (args.Concat(keywords.Select(pair => pair.Value)).OfType<InertValue>().FirstOrDefault() is { } inertArgument && builtin.Name != "print")
                {
                    return inertArgument;
                }
                return Guard(call.Span, () => InvokeBuiltin(builtin, args, keywords, call));
            default:
                throw _source.Error(call.Span, $"TypeError: '{PythonValues.TypeName(callee)}' object is not callable", PythonParser.SupportedExpressions, "TypeError");
        }
    }

    private object? CallFunction(ConfigFunction function, List<object?> args, List<(string Name, object? Value)> keywords, Call call)
    {
        function.Called = true;
        if (function.Opaque is not null)
        {
            throw _source.Error(call.Span, $"`{function.Name}` cannot be called: its body uses Python that procman does not evaluate ({function.Opaque})",
                "keep helpers called at the top level to the supported subset");
        }
        Step(call.Span);
        if (++_callDepth > EvaluationLimits.MaxCallDepth)
        {
            _callDepth--;
            throw _source.Error(call.Span, $"calls are nested too deeply (the limit is {EvaluationLimits.MaxCallDepth})", "avoid recursion in config files");
        }
        var saved = _recovering;
        _recovering = false;
        try
        {
            var scope = new Scope(function.Closure);
            BindArguments(function, scope, args, keywords, call);
            if (function.Result is not null)
            {
                return Evaluate(function.Result, scope);
            }
            return ExecuteBlock(function.Body!, scope) == Flow.Return ? _returnValue : null;
        }
        finally
        {
            _callDepth--;
            _recovering = saved;
        }
    }

    private void BindArguments(ConfigFunction function, Scope scope, List<object?> args, List<(string Name, object? Value)> keywords, Call call)
    {
        var parameters = function.Parameters;
        if (args.Count > parameters.Count)
        {
            throw _source.Error(call.Span, $"TypeError: {function.Name}() takes {parameters.Count} positional arguments but {args.Count} were given", "", "TypeError");
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var keyword = keywords.FindIndex(pair => pair.Name == parameter.Name);
            if (i < args.Count && keyword >= 0)
            {
                throw _source.Error(call.Span, $"TypeError: {function.Name}() got multiple values for argument '{parameter.Name}'", "", "TypeError");
            }
            scope.Names[parameter.Name] = i < args.Count ? args[i]
                : keyword >= 0 ? keywords[keyword].Value
                : parameter.Default is not null ? Evaluate(parameter.Default, function.Closure)
                : throw _source.Error(call.Span, $"TypeError: {function.Name}() missing required argument: '{parameter.Name}'", "", "TypeError");
        }
        if (keywords.FirstOrDefault(pair => parameters.All(parameter => parameter.Name != pair.Name)) is { Name: not null } unknown)
        {
            throw _source.Error(call.Span, $"TypeError: {function.Name}() got an unexpected keyword argument '{unknown.Name}'", "", "TypeError");
        }
    }

    private object? InvokeBuiltin(PythonFunction function, List<object?> args, List<(string Name, object? Value)> keywords, Call call)
    {
        object? Keyword(string name) => keywords.FirstOrDefault(pair => pair.Name == name).Value;
        switch (function.Name)
        {
            case "int":
                PythonBuiltins.Arity(function, args, 0, 2);
                var radix = args.Count == 2 ? args[1] : Keyword("base");
                return args.Count == 0 ? 0L : radix is not null ? PythonBuiltins.ParseInteger(args[0], radix) : PythonBuiltins.ToInteger(args[0]);
            case "float":
                PythonBuiltins.Arity(function, args, 0, 1);
                return args.Count == 0 ? 0.0 : PythonBuiltins.ToFloat(args[0]);
            case "str":
                PythonBuiltins.Arity(function, args, 0, 1);
                return args.Count == 0 ? "" : PythonValues.Str(args[0]);
            case "repr":
                PythonBuiltins.Arity(function, args, 1, 1);
                return PythonValues.Repr(args[0]);
            case "bool":
                PythonBuiltins.Arity(function, args, 0, 1);
                return args.Count != 0 && PythonValues.Truthy(args[0]);
            case "len":
                PythonBuiltins.Arity(function, args, 1, 1);
                return PythonBuiltins.Length(args[0]);
            case "abs":
                PythonBuiltins.Arity(function, args, 1, 1);
                return args[0] is double d ? Math.Abs(d) : PythonValues.TryInteger(args[0], out var l)
                    ? (object)checked(Math.Abs(l))
                    : throw new PythonValueException($"TypeError: bad operand type for abs(): '{PythonValues.TypeName(args[0])}'");
            case "min" or "max":
                return PythonBuiltins.Extreme(function.Name, args.Count == 1 ? [Materialize(args[0], call.Span)] : args);
            case "round":
                PythonBuiltins.Arity(function, args, 1, 2);
                return PythonBuiltins.Round(args[0], args.Count == 2 ? args[1] : null);
            case "range":
                return MakeRange(function, args);
            case "list":
                PythonBuiltins.Arity(function, args, 0, 1);
                return args.Count == 0 ? new List<object?>() : Materialize(args[0], call.Span);
            case "tuple":
                PythonBuiltins.Arity(function, args, 0, 1);
                return args.Count == 0 ? Array.Empty<object?>() : Materialize(args[0], call.Span).ToArray();
            case "set":
                PythonBuiltins.Arity(function, args, 0, 1);
                return NewSet(args.Count == 0 ? [] : Materialize(args[0], call.Span).Select(item => Hashable(item, call.Span)));
            case "dict":
                PythonBuiltins.Arity(function, args, 0, 1);
                var dict = NewDict();
                if (args.Count == 1)
                {
                    UpdateDict(dict, args[0], call.Span);
                }
                keywords.ForEach(pair => dict[pair.Name] = pair.Value);
                return Produced(dict, call.Span);
            case "sorted":
                PythonBuiltins.Arity(function, args, 1, 1);
                return Sorted(Materialize(args[0], call.Span), Keyword("key"), PythonValues.Truthy(Keyword("reverse")), call);
            case "reversed":
                PythonBuiltins.Arity(function, args, 1, 1);
                return Enumerable.Reverse(Materialize(args[0], call.Span)).ToList();
            case "sum":
                PythonBuiltins.Arity(function, args, 1, 2);
                return Materialize(args[0], call.Span).Aggregate(args.Count == 2 ? args[1] : 0L, (total, item) => PythonValues.Binary("+", total, item));
            case "any" or "all":
                PythonBuiltins.Arity(function, args, 1, 1);
                var truths = Materialize(args[0], call.Span).Select(item => Truthy(item, call.Span));
                return function.Name == "any" ? truths.Any(truth => truth) : truths.All(truth => truth);
            case "enumerate":
                PythonBuiltins.Arity(function, args, 1, 2);
                PythonValues.TryInteger(args.Count == 2 ? args[1] : 0L, out var first);
                return Materialize(args[0], call.Span).Select((item, i) => (object?)new object?[] { first + i, item }).ToList();
            case "zip":
                var columns = args.Select(arg => Materialize(arg, call.Span)).ToList();
                var rows = columns.Count == 0 ? 0 : columns.Min(column => column.Count);
                return Enumerable.Range(0, rows).Select(row => (object?)columns.Select(column => column[row]).ToArray()).ToList();
            case "map" or "filter":
                PythonBuiltins.Arity(function, args, 2, 2);
                var items = Materialize(args[1], call.Span);
                return function.Name == "map"
                    ? items.Select(item => Invoke(args[0], [item], [], call)).ToList()
                    : items.Where(item => Truthy(args[0] is null ? item : Invoke(args[0], [item], [], call), call.Span)).ToList();
            case "isinstance":
                PythonBuiltins.Arity(function, args, 2, 2);
                var types = args[1] is object?[] tuple ? tuple : [args[1]];
                return types.Any(type => IsInstance(args[0], type));
            case "print":
                Print(args, keywords, call);
                return null;
            default:
                return InvokeLibrary(function, args, keywords, call);
        }
    }

    private object? InvokeLibrary(PythonFunction function, List<object?> args, List<(string Name, object? Value)> keywords, Call call)
    {
        switch (function.Name)
        {
            case "os.getenv" or "os.environ.get":
                PythonBuiltins.Arity(function, args, 1, 2);
                var fallback = args.Count == 2 ? args[1] : keywords.FirstOrDefault(pair => pair.Name == "default").Value;
                return GetEnvironment(PythonBuiltins.RequireString(function, args[0])) ?? fallback;
            case "os.environ.setdefault":
                PythonBuiltins.Arity(function, args, 2, 2);
                var name = PythonBuiltins.RequireString(function, args[0]);
                return GetEnvironment(name) ?? (_environmentChanges[name] = PythonBuiltins.RequireString(function, args[1]));
            case "os.cpu_count" or "multiprocessing.cpu_count":
                PythonBuiltins.Arity(function, args, 0, 0);
                return (long)_cpuCount;
            case "os.getcwd":
                PythonBuiltins.Arity(function, args, 0, 0);
                return Directory.GetCurrentDirectory();
            case "os.path.join":
                PythonBuiltins.Arity(function, args, 1, int.MaxValue);
                return args.Select(arg => PythonBuiltins.RequireString(function, arg)).Aggregate(PythonPaths.Join);
            case "os.path.isabs":
                PythonBuiltins.Arity(function, args, 1, 1);
                return PythonBuiltins.RequireString(function, args[0]).StartsWith('/');
            case "os.path.expanduser":
                PythonBuiltins.Arity(function, args, 1, 1);
                return PythonPaths.ExpandUser(PythonBuiltins.RequireString(function, args[0]), GetEnvironment("HOME"));
            case var path when path.StartsWith("os.path.", StringComparison.Ordinal):
                PythonBuiltins.Arity(function, args, 1, 1);
                var text = PythonBuiltins.RequireString(function, args[0]);
                return path["os.path.".Length..] switch
                {
                    "dirname" => PythonPaths.DirectoryName(text),
                    "basename" => PythonPaths.BaseName(text),
                    "abspath" or "realpath" => PythonPaths.Absolute(text),
                    "normpath" => PythonPaths.Normalize(text),
                    "split" => PythonPaths.Split(text),
                    "splitext" => PythonPaths.SplitExtension(text),
                    var kind => PythonPaths.Exists(text, kind),
                };
            case var method when method.StartsWith("dict.", StringComparison.Ordinal):
                return InvokeDictMethod(function, (Dictionary<object, object?>)function.Receiver!, args, keywords, call);
            case var method when method.StartsWith("list.", StringComparison.Ordinal):
                return InvokeListMethod(function, (IReadOnlyList<object?>)function.Receiver!, args, call);
            case var method when method.StartsWith("set.", StringComparison.Ordinal):
                return InvokeSetMethod(function, (HashSet<object?>)function.Receiver!, args, call);
            default:
                if (function.Name == "str.join")
                {
                    PythonBuiltins.Arity(function, args, 1, 1);
                    return Produced(PythonBuiltins.InvokeStringMethod(function, (string)function.Receiver!, [Materialize(args[0], call.Span)], keywords), call.Span);
                }
                return Produced(PythonBuiltins.InvokeStringMethod(function, (string)function.Receiver!, args, keywords), call.Span);
        }
    }

    private object? InvokeDictMethod(PythonFunction function, Dictionary<object, object?> dict, List<object?> args, List<(string Name, object? Value)> keywords, Call call)
    {
        switch (function.Name)
        {
            case "dict.get":
                PythonBuiltins.Arity(function, args, 1, 2);
                return args[0] is not null && dict.TryGetValue(args[0]!, out var found) ? found : args.Count == 2 ? args[1] : null;
            case "dict.keys":
                PythonBuiltins.Arity(function, args, 0, 0);
                return dict.Keys.Cast<object?>().ToList();
            case "dict.values":
                PythonBuiltins.Arity(function, args, 0, 0);
                return dict.Values.ToList();
            case "dict.items":
                PythonBuiltins.Arity(function, args, 0, 0);
                return dict.Select(pair => (object?)new object?[] { pair.Key, pair.Value }).ToList();
            case "dict.copy":
                PythonBuiltins.Arity(function, args, 0, 0);
                return Produced(new Dictionary<object, object?>(dict, PythonKeyComparer.Instance), call.Span);
            case "dict.update":
                PythonBuiltins.Arity(function, args, 0, 1);
                if (args.Count == 1)
                {
                    UpdateDict(dict, args[0], call.Span);
                }
                keywords.ForEach(pair => dict[pair.Name] = pair.Value);
                CheckLength(dict.Count, call.Span);
                return null;
            case "dict.setdefault":
                PythonBuiltins.Arity(function, args, 1, 2);
                var key = Hashable(args[0], call.Span)!;
                return dict.TryGetValue(key, out var existing) ? existing : dict[key] = args.Count == 2 ? args[1] : null;
            default:
                PythonBuiltins.Arity(function, args, 1, 2);
                return args[0] is not null && dict.Remove(args[0]!, out var removed) ? removed
                    : args.Count == 2 ? args[1] : throw new PythonValueException($"KeyError: {PythonValues.Repr(args[0])}");
        }
    }

    private object? InvokeListMethod(PythonFunction function, IReadOnlyList<object?> sequence, List<object?> args, Call call)
    {
        var list = sequence as List<object?>;
        switch (function.Name)
        {
            case "list.index":
                PythonBuiltins.Arity(function, args, 1, 1);
                var at = sequence.ToList().FindIndex(item => PythonValues.Equal(item, args[0]));
                return at >= 0 ? at : throw new PythonValueException($"ValueError: {PythonValues.Repr(args[0])} is not in list");
            case "list.count":
                PythonBuiltins.Arity(function, args, 1, 1);
                return (long)sequence.Count(item => PythonValues.Equal(item, args[0]));
            case "list.copy":
                PythonBuiltins.Arity(function, args, 0, 0);
                return Produced(sequence.ToList(), call.Span);
            case "list.append":
                PythonBuiltins.Arity(function, args, 1, 1);
                CheckLength(list!.Count + 1, call.Span);
                list.Add(args[0]);
                Allocate(1, call.Span);
                return null;
            case "list.extend":
                PythonBuiltins.Arity(function, args, 1, 1);
                var items = Materialize(args[0], call.Span);
                CheckLength(list!.Count + items.Count, call.Span);
                list.AddRange(items);
                Allocate(items.Count, call.Span);
                return null;
            case "list.insert":
                PythonBuiltins.Arity(function, args, 2, 2);
                CheckLength(list!.Count + 1, call.Span);
                PythonValues.TryInteger(args[0], out var index);
                list.Insert((int)Math.Clamp(index < 0 ? index + list.Count : index, 0, list.Count), args[1]);
                return null;
            case "list.pop":
                PythonBuiltins.Arity(function, args, 0, 1);
                var position = PythonValues.Position(list!.Count, args.Count == 1 ? args[0] : -1L);
                var popped = list[position];
                list.RemoveAt(position);
                return popped;
            case "list.remove":
                PythonBuiltins.Arity(function, args, 1, 1);
                var found = list!.FindIndex(item => PythonValues.Equal(item, args[0]));
                if (found < 0)
                {
                    throw new PythonValueException("ValueError: list.remove(x): x not in list");
                }
                list.RemoveAt(found);
                return null;
            case "list.reverse":
                PythonBuiltins.Arity(function, args, 0, 0);
                list!.Reverse();
                return null;
            default:
                PythonBuiltins.Arity(function, args, 0, 0);
                var ordered = Sorted(list!, null, false, call);
                list!.Clear();
                list.AddRange(ordered);
                return null;
        }
    }

    private object? InvokeSetMethod(PythonFunction function, HashSet<object?> set, List<object?> args, Call call)
    {
        switch (function.Name)
        {
            case "set.add":
                PythonBuiltins.Arity(function, args, 1, 1);
                set.Add(Hashable(args[0], call.Span));
                CheckLength(set.Count, call.Span);
                return null;
            case "set.discard":
                PythonBuiltins.Arity(function, args, 1, 1);
                set.Remove(args[0]);
                return null;
            case "set.copy":
                PythonBuiltins.Arity(function, args, 0, 0);
                return NewSet(set);
            case "set.union":
                return NewSet(set.Concat(args.SelectMany(arg => Materialize(arg, call.Span))).Select(item => Hashable(item, call.Span)));
            default:
                args.ForEach(arg => set.UnionWith(Materialize(arg, call.Span).Select(item => Hashable(item, call.Span))));
                CheckLength(set.Count, call.Span);
                return null;
        }
    }

    private void UpdateDict(Dictionary<object, object?> dict, object? source, Span span)
    {
        if (source is IReadOnlyDictionary<object, object?> other)
        {
            foreach (var pair in other)
            {
                dict[pair.Key] = pair.Value;
            }
            return;
        }
        foreach (var pair in Materialize(source, span))
        {
            var entry = Materialize(pair, span);
            if (entry.Count != 2)
            {
                throw new PythonValueException("ValueError: dictionary update sequence element has the wrong length; 2 is required");
            }
            dict[Hashable(entry[0], span)!] = entry[1];
        }
    }

    private List<object?> Sorted(List<object?> items, object? key, bool reverse, Call call)
    {
        var keyed = items.Select(item => (Key: key is null ? item : Invoke(key, [item], [], call), Item: item)).ToList();
        var ordered = keyed.Order(Comparer<(object? Key, object? Item)>.Create((a, b) => PythonValues.Compare(a.Key, b.Key, "<"))).Select(pair => pair.Item).ToList();
        if (reverse)
        {
            ordered.Reverse();
        }
        return ordered;
    }

    /// <summary>Walks an iterable into a list, refusing before it grows past the collection limit.</summary>
    private List<object?> Materialize(object? value, Span span)
    {
        if (value is PythonRange range)
        {
            CheckLength(range.Count, span);
        }
        var items = new List<object?>();
        foreach (var item in Iterate(value, span))
        {
            items.Add(item);
            CheckLength(items.Count, span);
        }
        Allocate(items.Count, span);
        return items;
    }

    private static PythonRange MakeRange(PythonFunction function, List<object?> args)
    {
        PythonBuiltins.Arity(function, args, 1, 3);
        var bounds = args.Select(arg => PythonValues.TryInteger(arg, out var value) ? value
            : throw new PythonValueException($"TypeError: '{PythonValues.TypeName(arg)}' object cannot be interpreted as an integer")).ToList();
        var (start, stop, step) = bounds.Count switch
        {
            1 => (0L, bounds[0], 1L),
            2 => (bounds[0], bounds[1], 1L),
            _ => (bounds[0], bounds[1], bounds[2]),
        };
        return step == 0 ? throw new PythonValueException("ValueError: range() arg 3 must not be zero") : new PythonRange(start, stop, step);
    }

    private static bool IsInstance(object? value, object? type) => type switch
    {
        PythonFunction { Name: "int" } => value is long or bool,
        PythonFunction { Name: "float" } => value is double,
        PythonFunction { Name: "str" } => value is string,
        PythonFunction { Name: "bool" } => value is bool,
        PythonFunction { Name: "list" } => value is List<object?>,
        PythonFunction { Name: "tuple" } => value is object?[],
        PythonFunction { Name: "dict" } => value is IReadOnlyDictionary<object, object?>,
        PythonFunction { Name: "set" } => value is HashSet<object?>,
        ExceptionType exception => value is ExceptionValue raised && exception.Catches(raised.Type),
        _ => throw new PythonValueException("TypeError: isinstance() arg 2 must be a type or tuple of types"),
    };

    /// <summary>
    /// A print() at the top level is shown as a warning, not written out: loading a config (at start and on
    /// every SIGHUP) has no side effects, and the operator still sees what the file meant to say.
    /// </summary>
    private void Print(List<object?> args, List<(string Name, object? Value)> keywords, Call call)
    {
        var separator = keywords.FirstOrDefault(pair => pair.Name == "sep").Value as string ?? " ";
        var (line, _) = _source.Locate(call.Span.Start);
        var text = string.Join(separator, args.Select(arg => arg is InertValue inert ? $"<{inert.Description}>" : PythonValues.Str(arg)));
        _warnings.Add($"{_source.FileName}:{line}: print() is not shown when procman loads a config file; it would print {PythonValues.Repr(text)}");
    }
}
