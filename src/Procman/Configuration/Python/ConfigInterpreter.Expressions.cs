using System.Text;
using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

internal sealed partial class ConfigInterpreter
{
    private object? Evaluate(Expression expression, Scope scope)
    {
        if (++_depth > EvaluationLimits.MaxEvaluationDepth)
        {
            _depth--;
            throw _source.Error(expression.Span, $"the expression is nested too deeply (the limit is {EvaluationLimits.MaxEvaluationDepth} levels)", "split it into several assignments");
        }
        try
        {
            return expression switch
            {
                Constant constant => constant.Value,
                Name name => Lookup(name, scope),
                FormattedString formatted => EvaluateFormatted(formatted, scope),
                Unary unary => EvaluateUnary(unary, scope),
                Binary binary => Operate(binary.Operator, Evaluate(binary.Left, scope), Evaluate(binary.Right, scope), binary.Span),
                Logical logical => EvaluateLogical(logical, scope),
                Comparison comparison => EvaluateComparison(comparison, scope),
                Conditional conditional => Truthy(Evaluate(conditional.Test, scope), conditional.Test.Span)
                    ? Evaluate(conditional.Body, scope)
                    : Evaluate(conditional.OrElse, scope),
                AttributeAccess attribute => GetAttribute(Evaluate(attribute.Target, scope), attribute),
                Subscript subscript => EvaluateSubscript(subscript, scope),
                Call call => EvaluateCall(call, scope),
                ListDisplay list => Produced(list.Items.Select(item => Evaluate(item, scope)).ToList(), list.Span),
                TupleDisplay tuple => Produced(tuple.Items.Select(item => Evaluate(item, scope)).ToArray(), tuple.Span),
                SetDisplay set => Produced(NewSet(set.Items.Select(item => Hashable(Evaluate(item, scope), set.Span))), set.Span),
                DictDisplay dict => EvaluateDict(dict, scope),
                Comprehension comprehension => EvaluateComprehension(comprehension, scope),
                Lambda lambda => new ConfigFunction("<lambda>", lambda.Parameters, null, lambda.Body, scope, null, lambda.Span),
                Unsupported unsupported => throw _source.Error(unsupported.Span, unsupported.Problem, unsupported.Supported),
                _ => throw _source.Error(expression.Span, "this expression is not supported", PythonParser.SupportedExpressions),
            };
        }
        finally
        {
            _depth--;
        }
    }

    private object? EvaluateFormatted(FormattedString formatted, Scope scope)
    {
        var builder = new StringBuilder();
        foreach (var field in formatted.Fields)
        {
            if (field.Literal is not null)
            {
                builder.Append(field.Literal);
                continue;
            }
            var value = Evaluate(field.Value!, scope);
            if (value is InertValue)
            {
                return value;
            }
            builder.Append(field.Conversion is 'r' or 'a' ? PythonValues.Repr(value) : PythonValues.Str(value));
            CheckLength(builder.Length, formatted.Span, text: true);
        }
        return Produced(builder.ToString(), formatted.Span);
    }

    private object? EvaluateUnary(Unary unary, Scope scope)
    {
        var operand = Evaluate(unary.Operand, scope);
        if (unary.Operator == "not")
        {
            return !Truthy(operand, unary.Operand.Span);
        }
        return operand is InertValue ? operand : Guard(unary.Span, () => PythonValues.Unary(unary.Operator, operand));
    }

    private object? Operate(string op, object? left, object? right, Span span)
    {
        if (left is InertValue)
        {
            return left;
        }
        if (right is InertValue)
        {
            return right;
        }
        if (op == "%" && left is string template)
        {
            return Produced(Guard(span, () => PythonFormatting.Percent(template, right)), span);
        }
        return Produced(Guard(span, () => PythonValues.Binary(op, left, right)), span);
    }

    private object? EvaluateLogical(Logical logical, Scope scope)
    {
        var left = Evaluate(logical.Left, scope);
        var decided = logical.Operator == "or" ? Truthy(left, logical.Left.Span) : !Truthy(left, logical.Left.Span);
        return decided ? left : Evaluate(logical.Right, scope);
    }

    private object? EvaluateComparison(Comparison comparison, Scope scope)
    {
        var left = Evaluate(comparison.First, scope);
        foreach (var step in comparison.Steps)
        {
            var right = Evaluate(step.Right, scope);
            if (left is InertValue || right is InertValue)
            {
                return left is InertValue ? left : right;
            }
            var l = left;
            if (!Guard(comparison.Span, () => Compare(step.Operator, l, right)))
            {
                return false;
            }
            left = right;
        }
        return true;
    }

    private bool Compare(string op, object? left, object? right) => op switch
    {
        "==" => PythonValues.Equal(left, right),
        "!=" => !PythonValues.Equal(left, right),
        "<" => PythonValues.Compare(left, right, op) < 0,
        "<=" => PythonValues.Compare(left, right, op) <= 0,
        ">" => PythonValues.Compare(left, right, op) > 0,
        ">=" => PythonValues.Compare(left, right, op) >= 0,
        "in" => Contains(right, left),
        "not in" => !Contains(right, left),
        "is" => IsIdentical(left, right),
        _ => !IsIdentical(left, right),
    };

    private bool Contains(object? container, object? item) => container switch
    {
        PythonNamespace { Name: "os.environ" } => item is string key
            ? GetEnvironment(key) is not null
            : throw new PythonValueException($"TypeError: environment variable names are strings, not {PythonValues.TypeName(item)}"),
        PythonRange range => PythonValues.TryInteger(item, out var number) && range.Items().Take(EvaluationLimits.MaxSequenceLength).Contains(number),
        _ => PythonValues.Contains(container, item),
    };

    private static bool IsIdentical(object? left, object? right) => (left, right) switch
    {
        (null, _) or (_, null) => left is null && right is null,
        (bool a, bool b) => a == b,
        (bool, _) or (_, bool) => false,
        (ExceptionType a, ExceptionType b) => a == b,
        (long or double or string, _) or (_, long or double or string) =>
            throw new PythonValueException("`is` is only supported with None, True and False", "compare other values with == or !="),
        _ => ReferenceEquals(left, right),
    };

    private object? EvaluateSubscript(Subscript subscript, Scope scope)
    {
        var target = Evaluate(subscript.Target, scope);
        if (subscript.Index is SliceIndex slice)
        {
            var lower = slice.Lower is null ? null : Evaluate(slice.Lower, scope);
            var upper = slice.Upper is null ? null : Evaluate(slice.Upper, scope);
            var step = slice.Step is null ? null : Evaluate(slice.Step, scope);
            return target is InertValue ? target : Guard(subscript.Span, () => PythonValues.Slice(target, lower, upper, step));
        }
        var key = Evaluate(subscript.Index, scope);
        return target is InertValue || key is InertValue ? (target is InertValue ? target : key) : Guard(subscript.Span, () => GetItem(target, key));
    }

    private Dictionary<object, object?> EvaluateDict(DictDisplay display, Scope scope)
    {
        var dict = NewDict();
        foreach (var entry in display.Entries)
        {
            var key = Hashable(Evaluate(entry.Key, scope), entry.Key.Span);
            dict[key!] = Evaluate(entry.Value, scope);
        }
        return Produced(dict, display.Span);
    }

    private object? EvaluateComprehension(Comprehension comprehension, Scope scope)
    {
        // Python 3 gives a comprehension its own scope: its loop names do not leak into the file's names.
        var inner = new Scope(scope);
        var items = new List<object?>();
        var dict = comprehension.Kind == ComprehensionKind.Dict ? NewDict() : null;
        Generate(comprehension, 0, inner, items, dict);
        return comprehension.Kind switch
        {
            ComprehensionKind.Dict => dict,
            ComprehensionKind.Set => Produced(NewSet(items.Select(item => Hashable(item, comprehension.Span))), comprehension.Span),
            _ => items,
        };
    }

    private void Generate(Comprehension comprehension, int clause, Scope scope, List<object?> items, Dictionary<object, object?>? dict)
    {
        if (clause == comprehension.Clauses.Count)
        {
            var element = Evaluate(comprehension.Element, scope);
            if (dict is not null)
            {
                dict[Hashable(element, comprehension.Element.Span)!] = Evaluate(comprehension.Value!, scope);
            }
            else
            {
                items.Add(element);
            }
            CheckLength(dict?.Count ?? items.Count, comprehension.Span);
            Allocate(1, comprehension.Span);
            return;
        }
        var current = comprehension.Clauses[clause];
        foreach (var item in Iterate(Evaluate(current.Iterable, scope), current.Iterable.Span))
        {
            Step(comprehension.Span);
            Assign(current.Target, item, scope);
            if (current.Conditions.All(condition => Truthy(Evaluate(condition, scope), condition.Span)))
            {
                Generate(comprehension, clause + 1, scope, items, dict);
            }
        }
    }

    private object? EvaluateCall(Call call, Scope scope)
    {
        var function = Evaluate(call.Function, scope);
        var arguments = call.Arguments.Select(argument => Evaluate(argument, scope)).ToList();
        var keywords = call.Keywords.Select(keyword => (keyword.Name, Evaluate(keyword.Value, scope))).ToList();
        return Invoke(function, arguments, keywords, call);
    }

    private static Dictionary<object, object?> NewDict() => new(PythonKeyComparer.Instance);

    private static HashSet<object?> NewSet(IEnumerable<object?> items) => new(items, PythonKeyComparer.Instance);

    private object? Hashable(object? key, Span span) => key switch
    {
        long or double or string or bool or ExceptionType => key,
        object?[] tuple when tuple.All(item => item is long or double or string or bool) => key,
        null => throw _source.Error(span, "None as a dict key or set item is not supported", "use str, int, float or bool keys"),
        _ => throw _source.Error(span, $"TypeError: unhashable type: '{PythonValues.TypeName(key)}'", "use str, int, float or bool keys", "TypeError"),
    };

    private bool Truthy(object? value, Span span) => value is InertValue inert
        ? throw _source.Error(span, $"cannot decide on `{inert.Description}`: {inert.Reason}", "decide on environment variables or values computed in the file instead")
        : PythonValues.Truthy(value);

    private IEnumerable<object?> Iterate(object? value, Span span) => value switch
    {
        string s => s.Select(c => (object?)c.ToString()),
        IReadOnlyList<object?> list => list.ToArray(),
        IReadOnlyDictionary<object, object?> dict => dict.Keys.ToArray(),
        HashSet<object?> set => set.ToArray(),
        PythonRange range => range.Items(),
        InertValue inert => throw _source.Error(span, $"cannot loop over `{inert.Description}`: {inert.Reason}", "loop over lists, strings, dicts or range()"),
        _ => throw _source.Error(span, $"TypeError: '{PythonValues.TypeName(value)}' object is not iterable", "loop over lists, strings, dicts or range()", "TypeError"),
    };

    private T Guard<T>(Span span, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (PythonValueException exception)
        {
            var colon = exception.Message.IndexOf(':', StringComparison.Ordinal);
            var type = colon > 0 ? exception.Message[..colon] : null;
            throw _source.Error(span, exception.Message, exception.Supported.Length > 0 ? exception.Supported : PythonParser.SupportedExpressions,
                type is not null && ExceptionType.Names.Contains(type) ? type : null);
        }
    }

    private T Produced<T>(T value, Span span)
    {
        var size = value switch
        {
            string s => s.Length,
            IReadOnlyCollection<object?> list => list.Count,
            IReadOnlyDictionary<object, object?> dict => dict.Count,
            _ => 0,
        };
        CheckLength(size, span, value is string);
        Allocate(size, span);
        return value;
    }

    private void Allocate(long size, Span span)
    {
        _allocated += size;
        if (_allocated > EvaluationLimits.MaxAllocation)
        {
            throw _source.Error(span, $"the config file builds too much data (more than {EvaluationLimits.MaxAllocation:N0} characters and items in all)", "a config file should compute settings, not data");
        }
    }

    private void CheckLength(long length, Span span, bool text = false)
    {
        var limit = text ? EvaluationLimits.MaxStringLength : EvaluationLimits.MaxSequenceLength;
        if (length > limit)
        {
            throw _source.Error(span, text
                ? $"the string would be {length:N0} characters long; strings are limited to {limit:N0}"
                : $"the collection would hold {length:N0} items; collections are limited to {limit:N0}", "a config file should compute settings, not data");
        }
    }

    private InertValue MakeInert(string description, string reason)
    {
        var inert = new InertValue(description, reason);
        _inertSeen = inert;
        return inert;
    }

    private static InertValue? FindInert(object? value, int depth = 0) => value switch
    {
        InertValue inert => inert,
        IReadOnlyList<object?> list when depth < EvaluationLimits.MaxValueNesting => list.Select(item => FindInert(item, depth + 1)).FirstOrDefault(found => found is not null),
        IReadOnlyDictionary<object, object?> dict when depth < EvaluationLimits.MaxValueNesting => dict.Values.Select(item => FindInert(item, depth + 1)).FirstOrDefault(found => found is not null),
        _ => null,
    };
}
