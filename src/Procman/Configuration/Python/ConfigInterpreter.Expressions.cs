using System.Text;

namespace Procman.Configuration.Python;

internal sealed partial class ConfigInterpreter
{
    private const string SupportedExpressions =
        "supported expressions: literals, names, + - * / // % **, comparisons, in, is None, and/or/not, x if c else y, "
        + "subscripts and slices, f-strings, calls to int/float/str/bool/len/min/max/abs/round, os.getenv, os.environ.get, "
        + "cpu_count(), os.path.join/dirname/basename and str methods";

    private const string StringSupport = "supported: '...', \"...\", r'...', f'...' and triple-quoted strings";

    private static readonly HashSet<string> PythonKeywords = new(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    };

    private T Guard<T>(Token start, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (PythonValueException exception)
        {
            throw ErrorSpan(start, exception.Message, exception.Supported.Length > 0 ? exception.Supported : SupportedExpressions);
        }
    }

    private object? ParseExpressionList()
    {
        var first = ParseTest();
        if (!Current.IsOperator(","))
        {
            return first;
        }
        var items = new List<object?> { first };
        while (AcceptOperator(","))
        {
            if (Current.Kind is TokenKind.Newline or TokenKind.EndOfFile || Current.IsOperator(";") || Current.IsOperator("="))
            {
                break;
            }
            items.Add(ParseTest());
        }
        return items.ToArray();
    }

    private object? ParseTest()
    {
        if (Current.IsKeyword("lambda"))
        {
            throw ErrorAtLine(Current, "`lambda` expressions are not supported", SupportedExpressions);
        }
        if (!ConditionalAhead())
        {
            var value = ParseOr();
            if (Current.IsOperator(":="))
            {
                throw ErrorAtLine(Current, "assignment expressions (`:=`) are not supported", SupportedExpressions);
            }
            return value;
        }
        // Python evaluates the condition first, so the value is only syntax-checked until we know it is wanted.
        var outer = _executing;
        var valueIndex = _index;
        _executing = false;
        ParseOr();
        _executing = outer;
        Advance();
        var condition = ParseOr();
        if (!Current.IsKeyword("else"))
        {
            throw Unexpected("expected `else` in conditional expression", SupportedExpressions);
        }
        Advance();
        var chosen = outer && PythonValues.Truthy(condition);
        _executing = outer && !chosen;
        var result = ParseTest();
        _executing = outer;
        if (chosen)
        {
            var end = _index;
            _index = valueIndex;
            result = ParseOr();
            _index = end;
        }
        return result;
    }

    private bool ConditionalAhead()
    {
        var depth = 0;
        for (var i = _index; i < _tokens.Count; i++)
        {
            var token = _tokens[i];
            if (token.Kind is TokenKind.Newline or TokenKind.EndOfFile)
            {
                return false;
            }
            if (token.Kind == TokenKind.Name && depth == 0)
            {
                switch (token.Text)
                {
                    case "if":
                        return true;
                    case "else" or "for" or "lambda" or "async":
                        return false;
                }
            }
            if (token.Kind != TokenKind.Operator)
            {
                continue;
            }
            switch (token.Text)
            {
                case "(" or "[" or "{":
                    depth++;
                    break;
                case ")" or "]" or "}":
                    if (--depth < 0)
                    {
                        return false;
                    }
                    break;
                case ":=" when depth == 0:
                    // Found here so the error wins over evaluating the target name as an undefined variable.
                    throw ErrorAtLine(token, "assignment expressions (`:=`) are not supported", SupportedExpressions);
                case "," or ":" or ";" when depth == 0:
                    return false;
                default:
                    if (depth == 0 && token.Text.EndsWith('=') && token.Text is not ("==" or "!=" or "<=" or ">="))
                    {
                        return false;
                    }
                    break;
            }
        }
        return false;
    }

    private object? ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("or"))
        {
            Advance();
            left = ParseLazy(left, PythonValues.Truthy(left), ParseAnd);
        }
        return left;
    }

    private object? ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("and"))
        {
            Advance();
            left = ParseLazy(left, !PythonValues.Truthy(left), ParseNot);
        }
        return left;
    }

    /// <summary>The right operand of and/or: parsed always, evaluated only when it decides the result.</summary>
    private object? ParseLazy(object? left, bool shortCircuits, Func<object?> parseRight)
    {
        var outer = _executing;
        if (outer && shortCircuits)
        {
            _executing = false;
            parseRight();
            _executing = outer;
            return left;
        }
        return parseRight();
    }

    private object? ParseNot()
    {
        if (!Current.IsKeyword("not"))
        {
            return ParseComparison();
        }
        Advance();
        var operand = ParseNot();
        return _executing ? !PythonValues.Truthy(operand) : null;
    }

    private object? ParseComparison()
    {
        var start = Current;
        var left = ParseArithmetic();
        var compared = false;
        var result = true;
        while (TryComparisonOperator(out var op))
        {
            var right = ParseArithmetic();
            if (_executing && result)
            {
                var l = left;
                result = Guard(start, () => CompareValues(op, l, right));
            }
            left = right;
            compared = true;
        }
        return !compared ? left : _executing ? result : null;
    }

    private bool TryComparisonOperator(out string op)
    {
        op = Current.Text;
        if (Current.Kind == TokenKind.Operator && op is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            Advance();
            return true;
        }
        if (Current.IsKeyword("in"))
        {
            Advance();
            return true;
        }
        if (Current.IsKeyword("not") && Peek().IsKeyword("in"))
        {
            _index += 2;
            op = "not in";
            return true;
        }
        if (Current.IsKeyword("is"))
        {
            Advance();
            op = AcceptKeyword("not") ? "is not" : "is";
            return true;
        }
        return false;
    }

    private bool AcceptKeyword(string keyword)
    {
        if (Current.IsKeyword(keyword))
        {
            Advance();
            return true;
        }
        return false;
    }

    private bool CompareValues(string op, object? left, object? right) => op switch
    {
        "==" => PythonValues.Equal(left, right),
        "!=" => !PythonValues.Equal(left, right),
        "<" => PythonValues.Compare(left, right, op) < 0,
        "<=" => PythonValues.Compare(left, right, op) <= 0,
        ">" => PythonValues.Compare(left, right, op) > 0,
        ">=" => PythonValues.Compare(left, right, op) >= 0,
        "in" => ContainsValue(right, left),
        "not in" => !ContainsValue(right, left),
        "is" => IsIdentical(left, right),
        _ => !IsIdentical(left, right),
    };

    private bool ContainsValue(object? container, object? item)
    {
        if (container is PythonNamespace { Name: "os.environ" })
        {
            return item is string key
                ? _environment.Get(key) is not null
                : throw new PythonValueException($"TypeError: environment variable names are strings, not {PythonValues.TypeName(item)}");
        }
        return PythonValues.Contains(container, item);
    }

    private static bool IsIdentical(object? left, object? right) => (left, right) switch
    {
        (null, _) or (_, null) => left is null && right is null,
        (bool a, bool b) => a == b,
        (bool, _) or (_, bool) => false,
        _ => throw new PythonValueException("`is` is only supported with None, True and False", "compare other values with == or !="),
    };

    private object? ParseArithmetic()
    {
        var start = Current;
        var left = ParseTerm();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            var op = Advance().Text;
            var right = ParseTerm();
            left = Apply(start, op, left, right);
        }
        if (Current.Kind == TokenKind.Operator && Current.Text is "|" or "&" or "^" or "<<" or ">>")
        {
            throw ErrorAtLine(Current, $"bitwise operator `{Current.Text}` is not supported", SupportedExpressions);
        }
        return left;
    }

    private object? ParseTerm()
    {
        var start = Current;
        var left = ParseFactor();
        while (Current.Kind == TokenKind.Operator && Current.Text is "*" or "/" or "//" or "%" or "@")
        {
            if (Current.Text == "@")
            {
                throw ErrorAtLine(Current, "matrix multiplication `@` is not supported", SupportedExpressions);
            }
            var op = Advance().Text;
            var right = ParseFactor();
            left = Apply(start, op, left, right);
        }
        return left;
    }

    private object? ParseFactor()
    {
        var start = Current;
        if (start.IsOperator("~"))
        {
            throw ErrorAtLine(start, "bitwise operator `~` is not supported", SupportedExpressions);
        }
        if (!start.IsOperator("-") && !start.IsOperator("+"))
        {
            return ParsePower();
        }
        Advance();
        var operand = ParseFactor();
        return _executing ? Guard(start, () => PythonValues.Unary(start.Text, operand)) : null;
    }

    private object? ParsePower()
    {
        var start = Current;
        var left = ParsePrimary();
        if (!AcceptOperator("**"))
        {
            return left;
        }
        var right = ParseFactor();
        return Apply(start, "**", left, right);
    }

    private object? Apply(Token start, string op, object? left, object? right) =>
        _executing ? Guard(start, () => PythonValues.Binary(op, left, right)) : null;

    private object? ParsePrimary()
    {
        var start = Current;
        var value = ParseAtom();
        while (true)
        {
            if (AcceptOperator("."))
            {
                var name = ExpectName("after `.`");
                value = _executing ? GetAttribute(start, value, name) : null;
            }
            else if (Current.IsOperator("("))
            {
                var (arguments, keywords) = ParseArguments();
                var callee = value;
                value = _executing ? Call(start, callee, arguments, keywords) : null;
            }
            else if (Current.IsOperator("["))
            {
                value = ParseSubscript(start, value);
            }
            else
            {
                return value;
            }
        }
    }

    private (List<object?> Arguments, List<(Token Name, object? Value)> Keywords) ParseArguments()
    {
        Advance();
        var arguments = new List<object?>();
        var keywords = new List<(Token Name, object? Value)>();
        while (!Current.IsOperator(")"))
        {
            if (Current.IsOperator("*") || Current.IsOperator("**"))
            {
                throw ErrorAtLine(Current, "`*args` and `**kwargs` in calls are not supported", SupportedExpressions);
            }
            if (Current.Kind == TokenKind.Name && Peek().IsOperator("="))
            {
                var name = Advance();
                Advance();
                keywords.Add((name, ParseTest()));
            }
            else if (keywords.Count > 0)
            {
                throw ErrorAtLine(Current, "positional argument follows keyword argument", "pass positional arguments first");
            }
            else
            {
                RejectComprehension();
                arguments.Add(ParseTest());
            }
            if (!AcceptOperator(","))
            {
                break;
            }
        }
        ExpectOperator(")", "to close the call");
        return (arguments, keywords);
    }

    /// <summary>
    /// Rejects a comprehension before its element is evaluated, which would otherwise fail first on the
    /// loop variable being undefined.
    /// </summary>
    private void RejectComprehension()
    {
        var depth = 0;
        for (var i = _index; i < _tokens.Count; i++)
        {
            var token = _tokens[i];
            if (token.Kind is TokenKind.Newline or TokenKind.EndOfFile || (depth == 0 && token.IsOperator(",")))
            {
                return;
            }
            if (depth == 0 && (token.IsKeyword("for") || token.IsKeyword("async")))
            {
                throw ErrorAtLine(token, "comprehensions and generator expressions are not supported", SupportedExpressions);
            }
            if (token.Kind == TokenKind.Operator)
            {
                depth += token.Text is "(" or "[" or "{" ? 1 : token.Text is ")" or "]" or "}" ? -1 : 0;
                if (depth < 0)
                {
                    return;
                }
            }
        }
    }

    private object? ParseSubscript(Token start, object? value)
    {
        Advance();
        object? lower = null;
        object? upper = null;
        var isSlice = false;
        if (!Current.IsOperator(":"))
        {
            lower = ParseTest();
        }
        if (AcceptOperator(":"))
        {
            isSlice = true;
            if (!Current.IsOperator("]") && !Current.IsOperator(":"))
            {
                upper = ParseTest();
            }
            if (Current.IsOperator(":"))
            {
                throw ErrorAtLine(Current, "slice steps are not supported", "slices look like x[start:stop]");
            }
        }
        if (Current.IsOperator(","))
        {
            throw ErrorAtLine(Current, "multiple subscripts are not supported", "subscripts look like x[key] or x[start:stop]");
        }
        ExpectOperator("]", "to close the subscript");
        if (!_executing)
        {
            return null;
        }
        return isSlice ? Guard(start, () => Slice(value, lower, upper)) : Guard(start, () => Index(value, lower));
    }

    private object? ParseAtom()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return token.Unsupported is null ? token.Value : throw _source.Error(token.Start, token.End, token.Unsupported, "supported numbers: 8000, 1_000, 0o022, 0x1F, 0b101, 1.5, 1e3");
            case TokenKind.String or TokenKind.FormattedString:
                return ParseStrings();
            case TokenKind.Name:
                return ParseNameAtom(token);
            case TokenKind.Operator when token.Text == "(":
                return ParseParenthesized();
            case TokenKind.Operator when token.Text == "[":
                return ParseList();
            case TokenKind.Operator when token.Text == "{":
                return ParseDict();
            case TokenKind.Operator when token.Text == "...":
                throw _source.Error(token.Start, token.End, "`...` (Ellipsis) is not supported", SupportedExpressions);
            case TokenKind.Operator when token.Text == "*":
                throw ErrorAtLine(token, "starred expressions are not supported", SupportedExpressions);
            default:
                throw Unexpected("expected an expression", SupportedExpressions);
        }
    }

    private object? ParseNameAtom(Token token)
    {
        switch (token.Text)
        {
            case "True":
                Advance();
                return true;
            case "False":
                Advance();
                return false;
            case "None":
                Advance();
                return null;
        }
        if (PythonKeywords.Contains(token.Text))
        {
            throw ErrorAtLine(token, $"`{token.Text}` is not supported in an expression", SupportedExpressions);
        }
        Advance();
        return _executing ? LookupName(token) : null;
    }

    private object? ParseParenthesized()
    {
        Advance();
        if (AcceptOperator(")"))
        {
            return Array.Empty<object?>();
        }
        if (Current.IsKeyword("yield"))
        {
            throw ErrorAtLine(Current, "`yield` is not supported", SupportedExpressions);
        }
        RejectComprehension();
        var first = ParseTest();
        if (AcceptOperator(")"))
        {
            return first;
        }
        var items = new List<object?> { first };
        while (AcceptOperator(",") && !Current.IsOperator(")"))
        {
            items.Add(ParseTest());
        }
        ExpectOperator(")", "to close the parenthesis");
        return items.ToArray();
    }

    private List<object?> ParseList()
    {
        Advance();
        var items = new List<object?>();
        while (!Current.IsOperator("]"))
        {
            RejectComprehension();
            items.Add(ParseTest());
            if (!AcceptOperator(","))
            {
                break;
            }
        }
        ExpectOperator("]", "to close the list");
        return items;
    }

    private Dictionary<object, object?> ParseDict()
    {
        var open = Advance();
        var dict = new Dictionary<object, object?>();
        while (!Current.IsOperator("}"))
        {
            if (Current.IsOperator("**"))
            {
                throw ErrorAtLine(Current, "`**` unpacking in dict literals is not supported", SupportedExpressions);
            }
            var keyStart = Current;
            RejectComprehension();
            var key = ParseTest();
            if (!Current.IsOperator(":"))
            {
                throw ErrorAtLine(open, "set literals are not supported", "dict literals look like {\"key\": value}");
            }
            Advance();
            var value = ParseTest();
            if (_executing)
            {
                if (key is not (long or string or bool or double))
                {
                    throw ErrorSpan(keyStart, $"dict keys of type {PythonValues.TypeName(key)} are not supported", "use int, float, str or bool keys");
                }
                dict[key] = value;
            }
            if (!AcceptOperator(","))
            {
                break;
            }
        }
        ExpectOperator("}", "to close the dict");
        return dict;
    }

    private string ParseStrings()
    {
        var builder = new StringBuilder();
        while (Current.Kind is TokenKind.String or TokenKind.FormattedString)
        {
            var token = Advance();
            if (token.Unsupported is not null)
            {
                throw _source.Error(token.Start, token.End, token.Unsupported, StringSupport);
            }
            if (token.Kind == TokenKind.String)
            {
                builder.Append((string)token.Value!);
                continue;
            }
            foreach (var part in token.Parts)
            {
                builder.Append(part.Literal ?? EvaluateField(part));
            }
        }
        return builder.ToString();
    }

    private string EvaluateField(FormattedStringPart part)
    {
        if (part.Unsupported is not null)
        {
            var close = _source.Text.IndexOf('}', part.UnsupportedOffset);
            throw _source.Error(part.UnsupportedOffset, close < 0 ? part.UnsupportedOffset + 1 : close, part.Unsupported,
                "f-string fields hold an expression and an optional !s or !r, as in f\"{host}:{port}\"; format the value first, e.g. str(round(x, 2))");
        }
        var (savedTokens, savedIndex) = (_tokens, _index);
        _tokens = new PythonLexer(_source, part.ExpressionStart, part.ExpressionEnd, expressionOnly: true).Tokenize();
        _index = 0;
        var value = ParseExpressionList();
        if (Current.Kind != TokenKind.EndOfFile)
        {
            throw Unexpected($"unexpected `{Current.Text}` in f-string expression", SupportedExpressions);
        }
        (_tokens, _index) = (savedTokens, savedIndex);
        if (!_executing)
        {
            return "";
        }
        return part.Conversion is 'r' or 'a' ? PythonValues.Repr(value) : PythonValues.Str(value);
    }
}
