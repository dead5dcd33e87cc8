using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

/// <summary>
/// Runs a parsed config file, one rule per node. Only the branch that is taken runs; a top-level
/// statement that fails is reported and the next one still runs, so a file's errors come in one list.
/// Nothing here reaches the file system beyond the documented read-only os.path checks, and nothing
/// starts a process or opens a socket: every other module is inert.
/// </summary>
internal sealed partial class ConfigInterpreter
{
    private readonly PythonSource _source;
    private readonly IEnvironment _environment;
    private readonly Dictionary<string, string> _environmentChanges = new(StringComparer.Ordinal);
    private readonly int _cpuCount;
    private readonly Scope _module = new(null);
    private readonly List<ConfigSyntaxException> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, Span> _bindings = new(StringComparer.Ordinal);
    private readonly List<string> _bindingOrder = [];
    private readonly HashSet<string> _poisoned = new(StringComparer.Ordinal);
    private bool _recovering = true;
    private InertValue? _inertSeen;
    private ConfigSyntaxException? _handling;
    private object? _returnValue;
    private int _steps;
    private int _depth;
    private int _callDepth;
    private long _allocated;

    public ConfigInterpreter(PythonSource source, IEnvironment environment, int cpuCount)
    {
        _source = source;
        _environment = environment;
        _cpuCount = cpuCount;
        // What Gunicorn's loader sets for a config module; __file__ is the path as procman was given it.
        _module.Names["__file__"] = source.FileName;
        _module.Names["__name__"] = "__config__";
        _module.Names["__doc__"] = null;
    }

    public IReadOnlyList<ConfigSyntaxException> Errors => _errors;

    public ConfigModule Run(IReadOnlyList<Statement> module)
    {
        ExecuteBlock(module, _module);
        var assignments = new List<ConfigAssignment>();
        var hooks = new List<ConfigHook>();
        foreach (var name in _bindingOrder.Where(_module.Names.ContainsKey))
        {
            var value = _module.Names[name];
            var (line, column) = _source.Locate(_bindings[name].Start);
            if (value is ConfigFunction function)
            {
                if (!function.Called)
                {
                    hooks.Add(new ConfigHook(name, line, column));
                }
            }
            else if (value is not (PythonNamespace or PythonFunction or ExceptionType))
            {
                try
                {
                    PythonValues.IsData(value);
                }
                catch (PythonValueException error)
                {
                    Record(_source.Error(_bindings[name], error.Message, error.Supported));
                    continue;
                }
                assignments.Add(new ConfigAssignment(name, value, line, column, FindInert(value)?.Description));
            }
        }
        return new ConfigModule(assignments, hooks, _warnings);
    }

    private Flow ExecuteBlock(IReadOnlyList<Statement> statements, Scope scope)
    {
        foreach (var statement in statements)
        {
            var flow = _recovering ? ExecuteRecovering(statement, scope) : Execute(statement, scope);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }
        return Flow.Normal;
    }

    private Flow ExecuteRecovering(Statement statement, Scope scope)
    {
        _inertSeen = null;
        try
        {
            var flow = Execute(statement, scope);
            if (_inertSeen is { } inert && statement is not (If or For or While or Try))
            {
                var (line, _) = _source.Locate(statement.Span.Start);
                _warnings.Add($"{_source.FileName}:{line}: `{inert.Description}` is not evaluated ({inert.Reason}); the statement has no effect");
            }
            return flow;
        }
        catch (ConfigSyntaxException error)
        {
            Record(error);
        }
        catch (PoisonedNameException)
        {
            // The failure that caused it is already reported.
        }
        catch (PythonValueException error)
        {
            // A limit met while walking a value (repr of a list that contains itself) has no closer position.
            Record(_source.Error(statement.Span, error.Message, error.Supported));
        }
        Poison(statement);
        return Flow.Normal;
    }

    private void Record(ConfigSyntaxException error)
    {
        if (_errors.Count < EvaluationLimits.MaxErrors && !_errors.Any(known => known.Message == error.Message))
        {
            _errors.Add(error);
        }
    }

    private void Poison(Statement statement)
    {
        IEnumerable<Expression> targets = statement switch
        {
            Assignment assignment => assignment.Targets,
            AugmentedAssignment augmented => [augmented.Target],
            For loop => [loop.Target],
            _ => [],
        };
        foreach (var name in targets.SelectMany(TargetNames))
        {
            _poisoned.Add(name);
            _module.Names.Remove(name);
        }
        if (statement is Import or ImportFrom or FunctionDefinition)
        {
            foreach (var name in BoundNames(statement))
            {
                _poisoned.Add(name);
            }
        }
    }

    private static IEnumerable<string> TargetNames(Expression target) => target switch
    {
        Name name => [name.Identifier],
        TupleDisplay tuple => tuple.Items.SelectMany(TargetNames),
        ListDisplay list => list.Items.SelectMany(TargetNames),
        _ => [],
    };

    private static IEnumerable<string> BoundNames(Statement statement) => statement switch
    {
        Import import => import.Modules.Select(module => module.Alias ?? module.Name.Split('.')[0]),
        ImportFrom from => from.Names.Select(name => name.Alias ?? name.Name),
        FunctionDefinition def => [def.Name],
        _ => [],
    };

    private Flow Execute(Statement statement, Scope scope)
    {
        switch (statement)
        {
            case ExpressionStatement expression:
                Evaluate(expression.Value, scope);
                return Flow.Normal;
            case Assignment assignment:
                var value = Evaluate(assignment.Value, scope);
                foreach (var target in assignment.Targets)
                {
                    Assign(target, value, scope);
                }
                return Flow.Normal;
            case AugmentedAssignment augmented:
                ExecuteAugmented(augmented, scope);
                return Flow.Normal;
            case If conditional:
                return ExecuteBlock(Truthy(Evaluate(conditional.Test, scope), conditional.Test.Span) ? conditional.Body : conditional.OrElse, scope);
            case For loop:
                return Unrecovered(() => ExecuteFor(loop, scope));
            case While loop:
                return Unrecovered(() => ExecuteWhile(loop, scope));
            case Try attempt:
                return Unrecovered(() => ExecuteTry(attempt, scope));
            case FunctionDefinition def:
                Bind(def.Name, new ConfigFunction(def.Name, def.Parameters, def.Body, null, scope, def.Opaque, def.Span), def.Span, scope);
                return Flow.Normal;
            case Return result:
                if (scope.IsModule)
                {
                    throw _source.Error(result.Span, "`return` outside a function", "return only inside a def");
                }
                _returnValue = result.Value is null ? null : Evaluate(result.Value, scope);
                return Flow.Return;
            case Import import:
                foreach (var module in import.Modules)
                {
                    var bound = module.Alias ?? module.Name.Split('.')[0];
                    Bind(bound, ImportModule(module.Alias is null ? bound : module.Name), module.Span, scope);
                }
                return Flow.Normal;
            case ImportFrom from:
                ExecuteImportFrom(from, scope);
                return Flow.Normal;
            case Assert check:
                if (!Truthy(Evaluate(check.Test, scope), check.Test.Span))
                {
                    var message = check.Message is null ? "" : ": " + PythonValues.Str(Evaluate(check.Message, scope));
                    throw _source.Error(check.Span, $"AssertionError{message}", "the config file's own assert failed", "AssertionError");
                }
                return Flow.Normal;
            case Raise raise:
                throw RaiseError(raise, scope);
            case Global global:
                scope.Globals.UnionWith(global.Names);
                return Flow.Normal;
            case Delete delete:
                delete.Targets.ToList().ForEach(target => DeleteTarget(target, scope));
                return Flow.Normal;
            case Break:
                return Flow.Break;
            case Continue:
                return Flow.Continue;
            default:
                return Flow.Normal;
        }
    }

    /// <summary>Inside loops and try blocks an error ends the whole statement: it is reported once, not once per iteration.</summary>
    private Flow Unrecovered(Func<Flow> action)
    {
        var saved = _recovering;
        _recovering = false;
        try
        {
            return action();
        }
        finally
        {
            _recovering = saved;
        }
    }

    private Flow ExecuteFor(For loop, Scope scope)
    {
        foreach (var item in Iterate(Evaluate(loop.Iterable, scope), loop.Iterable.Span))
        {
            Step(loop.Span);
            Assign(loop.Target, item, scope);
            if (EndOfLoop(ExecuteBlock(loop.Body, scope)) is { } end)
            {
                return end;
            }
        }
        return ExecuteBlock(loop.OrElse, scope);
    }

    private Flow ExecuteWhile(While loop, Scope scope)
    {
        while (Truthy(Evaluate(loop.Test, scope), loop.Test.Span))
        {
            Step(loop.Span);
            if (EndOfLoop(ExecuteBlock(loop.Body, scope)) is { } end)
            {
                return end;
            }
        }
        return ExecuteBlock(loop.OrElse, scope);
    }

    /// <summary>What one pass of a loop's body means for the loop: null to go on, else what the loop itself returns (break skips the else block).</summary>
    private static Flow? EndOfLoop(Flow flow) => flow switch
    {
        Flow.Break => Flow.Normal,
        Flow.Return => Flow.Return,
        _ => null,
    };

    private Flow ExecuteTry(Try attempt, Scope scope)
    {
        var flow = Flow.Normal;
        try
        {
            try
            {
                flow = ExecuteBlock(attempt.Body, scope);
            }
            catch (ConfigSyntaxException error) when (error.PythonType is not null)
            {
                // Matched here, not in the filter: a filter runs before the failed code's finally blocks
                // have restored the interpreter's depth counters.
                if (FindHandler(attempt, error, scope) is not { } handler)
                {
                    throw;
                }
                if (handler.Name is not null)
                {
                    Bind(handler.Name, new ExceptionValue(error.PythonType, error.PythonMessage), handler.Span, scope);
                }
                var saved = _handling;
                _handling = error;
                try
                {
                    return ExecuteBlock(handler.Body, scope);
                }
                finally
                {
                    _handling = saved;
                }
            }
            return flow == Flow.Normal ? ExecuteBlock(attempt.OrElse, scope) : flow;
        }
        finally
        {
            if (attempt.Finally.Count > 0)
            {
                ExecuteBlock(attempt.Finally, scope);
            }
        }
    }

    private ExceptHandler? FindHandler(Try attempt, ConfigSyntaxException error, Scope scope)
    {
        foreach (var handler in attempt.Handlers)
        {
            if (handler.Type is null)
            {
                return handler;
            }
            var type = Evaluate(handler.Type, scope);
            var types = type is object?[] tuple ? tuple : [type];
            // A third-party exception class (inert) never matches: procman raises only builtin errors.
            if (types.OfType<ExceptionType>().Any(candidate => candidate.Catches(error.PythonType!)))
            {
                return handler;
            }
        }
        return null;
    }

    private ConfigSyntaxException RaiseError(Raise raise, Scope scope)
    {
        if (raise.Exception is null)
        {
            return _handling ?? _source.Error(raise.Span, "RuntimeError: No active exception to reraise", "", "RuntimeError");
        }
        var raised = Evaluate(raise.Exception, scope);
        var (type, message) = raised switch
        {
            ExceptionValue value => (value.Type, value.Message),
            ExceptionType exceptionType => (exceptionType.Name, ""),
            InertValue inert => throw _source.Error(raise.Span, $"cannot raise `{inert.Description}`", $"{inert.Reason}; raise a builtin exception such as ValueError"),
            _ => ("TypeError", "exceptions must derive from BaseException"),
        };
        return _source.Error(raise.Span, message.Length == 0 ? type : $"{type}: {message}", "raised by the config file", type);
    }

    private void ExecuteImportFrom(ImportFrom from, Scope scope)
    {
        if (from.Module == "__future__")
        {
            return;
        }
        var module = ImportModule(from.Module);
        foreach (var name in from.Names)
        {
            var member = module is PythonNamespace ns
                ? Member(ns, name.Name)
                : new InertValue($"{from.Module}.{name.Name}", ((InertValue)module!).Reason);
            Bind(name.Alias ?? name.Name, member, name.Span, scope);
        }
    }

    private void ExecuteAugmented(AugmentedAssignment augmented, Scope scope)
    {
        var operand = Evaluate(augmented.Value, scope);
        if (augmented.Target is Subscript item)
        {
            var container = Evaluate(item.Target, scope);
            var key = Evaluate(item.Index, scope);
            var current = Guard(item.Span, () => GetItem(container, key));
            SetItem(container, key, Operate(augmented.Operator, current, operand, augmented.Span), item.Span);
            return;
        }
        var value = Evaluate(augmented.Target, scope);
        if (augmented.Operator == "+" && value is List<object?> list && operand is not (string or InertValue))
        {
            // `bind += [...]` extends the list in place, as Python does, so other names for it see the change.
            var items = Iterate(operand, augmented.Value.Span).ToList();
            CheckLength(list.Count + items.Count, augmented.Span);
            list.AddRange(items);
            Allocate(items.Count, augmented.Span);
            return;
        }
        Assign(augmented.Target, Operate(augmented.Operator, value, operand, augmented.Span), scope);
    }

    private void Assign(Expression target, object? value, Scope scope)
    {
        switch (target)
        {
            case Name name:
                Bind(name.Identifier, value, name.Span, scope);
                break;
            case TupleDisplay or ListDisplay:
                var targets = target is TupleDisplay tuple ? tuple.Items : ((ListDisplay)target).Items;
                var values = Iterate(value, target.Span).Take(targets.Count + 1).ToList();
                if (values.Count != targets.Count)
                {
                    var problem = values.Count > targets.Count
                        ? $"ValueError: too many values to unpack (expected {targets.Count})"
                        : $"ValueError: not enough values to unpack (expected {targets.Count}, got {values.Count})";
                    throw _source.Error(target.Span, problem, "unpack a tuple or list of the same length, as in `a, b = 1, 2`", "ValueError");
                }
                for (var i = 0; i < targets.Count; i++)
                {
                    Assign(targets[i], values[i], scope);
                }
                break;
            case Subscript item:
                SetItem(Evaluate(item.Target, scope), Evaluate(item.Index, scope), value, item.Span);
                break;
            case AttributeAccess attribute:
                var owner = Evaluate(attribute.Target, scope);
                if (owner is InertValue inert)
                {
                    MakeInert($"{inert.Description}.{attribute.Attribute}", inert.Reason);
                    break;
                }
                throw _source.Error(attribute.Span, "attributes cannot be assigned (only names and items)", "assign to names, as in `workers = 4`");
        }
    }

    private void Bind(string name, object? value, Span span, Scope scope)
    {
        if (scope.Globals.Contains(name))
        {
            scope = _module;
        }
        scope.Names[name] = value;
        if (!scope.IsModule)
        {
            return;
        }
        _poisoned.Remove(name);
        if (!_bindings.ContainsKey(name))
        {
            _bindingOrder.Add(name);
        }
        _bindings[name] = span;
    }

    private void DeleteTarget(Expression target, Scope scope)
    {
        switch (target)
        {
            case Name name:
                if (!(scope.Globals.Contains(name.Identifier) ? _module : scope).Names.Remove(name.Identifier))
                {
                    throw _source.Error(name.Span, $"NameError: name '{name.Identifier}' is not defined", "", "NameError");
                }
                break;
            case Subscript item:
                var container = Evaluate(item.Target, scope);
                var key = Evaluate(item.Index, scope);
                Guard(item.Span, () => DeleteItem(container, key));
                break;
            default:
                throw _source.Error(target.Span, "only names and items can be deleted", "");
        }
    }

    /// <summary>Counts one loop iteration, comprehension item or call against the run's budget.</summary>
    private void Step(Span span)
    {
        if (++_steps > EvaluationLimits.MaxSteps)
        {
            throw _source.Error(span, $"the config file runs too long (more than {EvaluationLimits.MaxSteps:N0} loop iterations and calls)", "a config file should compute settings, not loop");
        }
    }
}
