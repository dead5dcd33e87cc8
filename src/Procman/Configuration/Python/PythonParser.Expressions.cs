using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

internal sealed partial class PythonParser
{
    public const string SupportedExpressions =
        "supported expressions: literals, names, arithmetic, bitwise and %-formatting operators, comparisons, and/or/not, "
        + "x if c else y, lambda, subscripts and slices, f-strings, comprehensions, calls of builtins, os, os.path and functions defined with def";

    private const string StringSupport = "supported: '...', \"...\", r'...', f'...' and triple-quoted strings";

    public static readonly HashSet<string> PythonKeywords = new(StringComparer.Ordinal)
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    };

    private Expression ParseExpressionList()
    {
        var start = Current;
        var first = ParseTest();
        if (!Current.IsOperator(","))
        {
            return first;
        }
        var items = new List<Expression> { first };
        while (AcceptOperator(","))
        {
            if (AtStatementEnd() || Current.IsOperator("=") || Current.IsOperator(")") || Current.IsOperator(":") || Current.IsKeyword("in"))
            {
                break;
            }
            items.Add(ParseTest());
        }
        return new TupleDisplay(items, SpanFrom(start));
    }

    /// <summary>The targets of a `for` (or comprehension): stops before `in`, which is not a comparison here.</summary>
    private Expression ParseTargetList()
    {
        var start = Current;
        var first = ParseBitOr();
        if (!Current.IsOperator(","))
        {
            return CheckTarget(first);
        }
        var items = new List<Expression> { first };
        while (AcceptOperator(",") && !Current.IsKeyword("in"))
        {
            items.Add(ParseBitOr());
        }
        return CheckTarget(new TupleDisplay(items, SpanFrom(start)));
    }

    private Expression ParseTest()
    {
        Enter();
        try
        {
            var start = Current;
            if (start.IsKeyword("lambda"))
            {
                return ParseLambda();
            }
            var value = ParseOr();
            if (Current.IsOperator(":="))
            {
                throw ErrorAtLine(Current, "assignment expressions (`:=`) are not supported", SupportedExpressions);
            }
            if (!AcceptKeyword("if"))
            {
                return value;
            }
            var test = ParseOr();
            if (!AcceptKeyword("else"))
            {
                throw Unexpected("expected `else` in conditional expression", SupportedExpressions);
            }
            return new Conditional(test, value, ParseTest(), SpanFrom(start));
        }
        finally
        {
            Leave();
        }
    }

    private Lambda ParseLambda()
    {
        var start = Advance();
        var parameters = ParseParameters(":");
        ExpectOperator(":", "after the lambda parameters");
        return new Lambda(parameters, ParseTest(), SpanFrom(start));
    }

    private Expression ParseOr() => ParseLogical("or", ParseAnd);

    private Expression ParseAnd() => ParseLogical("and", ParseNot);

    private Expression ParseLogical(string keyword, Func<Expression> operand)
    {
        var start = Current;
        var left = operand();
        while (AcceptKeyword(keyword))
        {
            left = new Logical(keyword, left, operand(), SpanFrom(start));
        }
        return left;
    }

    private Expression ParseNot()
    {
        var start = Current;
        if (!AcceptKeyword("not"))
        {
            return ParseComparison();
        }
        Enter();
        try
        {
            return new Unary("not", ParseNot(), SpanFrom(start));
        }
        finally
        {
            Leave();
        }
    }

    private Expression ParseComparison()
    {
        var start = Current;
        var first = ParseBitOr();
        var steps = new List<ComparisonStep>();
        while (TryComparisonOperator(out var op))
        {
            steps.Add(new ComparisonStep(op, ParseBitOr()));
        }
        return steps.Count == 0 ? first : new Comparison(first, steps, SpanFrom(start));
    }

    private bool TryComparisonOperator(out string op)
    {
        op = Current.Text;
        if (Current.Kind == TokenKind.Operator && op is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            Advance();
            return true;
        }
        if (AcceptKeyword("in"))
        {
            return true;
        }
        if (Current.IsKeyword("not") && Peek().IsKeyword("in"))
        {
            Advance();
            Advance();
            op = "not in";
            return true;
        }
        if (AcceptKeyword("is"))
        {
            op = AcceptKeyword("not") ? "is not" : "is";
            return true;
        }
        return false;
    }

    private Expression ParseBitOr() => ParseBinary(ParseBitXor, "|");

    private Expression ParseBitXor() => ParseBinary(ParseBitAnd, "^");

    private Expression ParseBitAnd() => ParseBinary(ParseShift, "&");

    private Expression ParseShift() => ParseBinary(ParseArithmetic, "<<", ">>");

    private Expression ParseArithmetic() => ParseBinary(ParseTerm, "+", "-");

    private Expression ParseTerm() => ParseBinary(ParseFactor, "*", "/", "//", "%", "@");

    private Expression ParseBinary(Func<Expression> operand, params string[] operators)
    {
        var start = Current;
        var left = operand();
        while (Current.Kind == TokenKind.Operator && operators.Contains(Current.Text))
        {
            var op = Advance();
            if (op.Text == "@")
            {
                throw _source.Error(op.Start, op.End, "matrix multiplication `@` is not supported", SupportedExpressions);
            }
            left = new Binary(op.Text, left, operand(), SpanFrom(start));
        }
        return left;
    }

    private Expression ParseFactor()
    {
        var start = Current;
        if (!start.IsOperator("-") && !start.IsOperator("+") && !start.IsOperator("~"))
        {
            return ParsePower();
        }
        Advance();
        Enter();
        try
        {
            return new Unary(start.Text, ParseFactor(), SpanFrom(start));
        }
        finally
        {
            Leave();
        }
    }

    private Expression ParsePower()
    {
        var start = Current;
        if (start.IsKeyword("await"))
        {
            throw ErrorAtLine(start, "`await` is not supported", SupportedExpressions);
        }
        var left = ParsePrimary();
        if (!AcceptOperator("**"))
        {
            return left;
        }
        Enter();
        try
        {
            return new Binary("**", left, ParseFactor(), SpanFrom(start));
        }
        finally
        {
            Leave();
        }
    }

    private Expression ParsePrimary()
    {
        var start = Current;
        var value = ParseAtom();
        while (true)
        {
            if (AcceptOperator("."))
            {
                var name = ExpectName("after `.`");
                value = new AttributeAccess(value, name.Text, new Span(name.Start, name.End), SpanFrom(start));
            }
            else if (Current.IsOperator("("))
            {
                value = ParseCall(start, value);
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

    private Call ParseCall(Token start, Expression function)
    {
        Advance();
        var arguments = new List<Expression>();
        var keywords = new List<KeywordArgument>();
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
                keywords.Add(new KeywordArgument(name.Text, ParseTest(), new Span(name.Start, name.End)));
            }
            else if (keywords.Count > 0)
            {
                throw ErrorAtLine(Current, "positional argument follows keyword argument", "pass positional arguments first");
            }
            else
            {
                var argumentStart = Current;
                var argument = ParseTest();
                arguments.Add(Current.IsKeyword("for") ? ParseComprehension(argumentStart, ComprehensionKind.Generator, argument, null) : argument);
            }
            if (!AcceptOperator(","))
            {
                break;
            }
        }
        ExpectOperator(")", "to close the call");
        return new Call(function, arguments, keywords, SpanFrom(start));
    }

    private Subscript ParseSubscript(Token start, Expression target)
    {
        Advance();
        var indexStart = Current;
        Expression? lower = Current.IsOperator(":") ? null : ParseTest();
        Expression index;
        if (Current.IsOperator(":"))
        {
            Advance();
            var upper = Current.IsOperator("]") || Current.IsOperator(":") ? null : ParseTest();
            var step = AcceptOperator(":") && !Current.IsOperator("]") ? ParseTest() : null;
            index = new SliceIndex(lower, upper, step, SpanFrom(indexStart));
        }
        else
        {
            index = lower!;
        }
        if (Current.IsOperator(","))
        {
            throw ErrorAtLine(Current, "multiple subscripts are not supported", "subscripts look like x[key] or x[start:stop]");
        }
        ExpectOperator("]", "to close the subscript");
        return new Subscript(target, index, SpanFrom(start));
    }

    private Expression ParseAtom()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return token.Unsupported is null
                    ? new Constant(token.Value, SpanFrom(token))
                    : new Unsupported(token.Unsupported, "supported numbers: 8000, 1_000, 0o022, 0x1F, 0b101, 1.5, 1e3", SpanFrom(token));
            case TokenKind.String or TokenKind.FormattedString:
                return ParseStrings();
            case TokenKind.Name:
                return ParseNameAtom(token);
            case TokenKind.Operator when token.Text == "(":
                return ParseParenthesized();
            case TokenKind.Operator when token.Text == "[":
                return ParseList();
            case TokenKind.Operator when token.Text == "{":
                return ParseBraces();
            case TokenKind.Operator when token.Text == "...":
                Advance();
                return new Unsupported("`...` (Ellipsis) is not supported", SupportedExpressions, SpanFrom(token));
            case TokenKind.Operator when token.Text == "*":
                throw ErrorAtLine(token, "starred expressions are not supported", SupportedExpressions);
            default:
                throw Unexpected("expected an expression", SupportedExpressions);
        }
    }

    private Expression ParseNameAtom(Token token)
    {
        switch (token.Text)
        {
            case "True":
                Advance();
                return new Constant(true, SpanFrom(token));
            case "False":
                Advance();
                return new Constant(false, SpanFrom(token));
            case "None":
                Advance();
                return new Constant(null, SpanFrom(token));
        }
        if (PythonKeywords.Contains(token.Text))
        {
            throw ErrorAtLine(token, $"`{token.Text}` is not supported in an expression", SupportedExpressions);
        }
        Advance();
        return new Name(token.Text, SpanFrom(token));
    }

    private Expression ParseParenthesized()
    {
        var open = Advance();
        if (AcceptOperator(")"))
        {
            return new TupleDisplay([], SpanFrom(open));
        }
        if (Current.IsKeyword("yield"))
        {
            throw ErrorAtLine(Current, "`yield` is not supported", SupportedExpressions);
        }
        var first = ParseTest();
        if (Current.IsKeyword("for"))
        {
            var generator = ParseComprehension(open, ComprehensionKind.Generator, first, null);
            ExpectOperator(")", "to close the parenthesis");
            return generator;
        }
        if (AcceptOperator(")"))
        {
            return first;
        }
        var items = new List<Expression> { first };
        while (AcceptOperator(",") && !Current.IsOperator(")"))
        {
            items.Add(ParseTest());
        }
        ExpectOperator(")", "to close the parenthesis");
        return new TupleDisplay(items, SpanFrom(open));
    }

    private Expression ParseList()
    {
        var open = Advance();
        var items = new List<Expression>();
        while (!Current.IsOperator("]"))
        {
            var item = ParseTest();
            if (items.Count == 0 && Current.IsKeyword("for"))
            {
                var comprehension = ParseComprehension(open, ComprehensionKind.List, item, null);
                ExpectOperator("]", "to close the list");
                return comprehension;
            }
            items.Add(item);
            if (!AcceptOperator(","))
            {
                break;
            }
        }
        ExpectOperator("]", "to close the list");
        return new ListDisplay(items, SpanFrom(open));
    }

    private Expression ParseBraces()
    {
        var open = Advance();
        if (AcceptOperator("}"))
        {
            return new DictDisplay([], SpanFrom(open));
        }
        if (Current.IsOperator("**"))
        {
            throw ErrorAtLine(Current, "`**` unpacking in dict literals is not supported", SupportedExpressions);
        }
        var first = ParseTest();
        if (!AcceptOperator(":"))
        {
            return ParseSet(open, first);
        }
        var firstValue = ParseTest();
        if (Current.IsKeyword("for"))
        {
            var comprehension = ParseComprehension(open, ComprehensionKind.Dict, first, firstValue);
            ExpectOperator("}", "to close the dict");
            return comprehension;
        }
        var entries = new List<DictEntry> { new(first, firstValue) };
        while (AcceptOperator(",") && !Current.IsOperator("}"))
        {
            if (Current.IsOperator("**"))
            {
                throw ErrorAtLine(Current, "`**` unpacking in dict literals is not supported", SupportedExpressions);
            }
            var key = ParseTest();
            ExpectOperator(":", "between a dict key and its value");
            entries.Add(new DictEntry(key, ParseTest()));
        }
        ExpectOperator("}", "to close the dict");
        return new DictDisplay(entries, SpanFrom(open));
    }

    private Expression ParseSet(Token open, Expression first)
    {
        if (Current.IsKeyword("for"))
        {
            var comprehension = ParseComprehension(open, ComprehensionKind.Set, first, null);
            ExpectOperator("}", "to close the set");
            return comprehension;
        }
        var items = new List<Expression> { first };
        while (AcceptOperator(",") && !Current.IsOperator("}"))
        {
            items.Add(ParseTest());
        }
        ExpectOperator("}", "to close the set");
        return new SetDisplay(items, SpanFrom(open));
    }

    private Comprehension ParseComprehension(Token start, ComprehensionKind kind, Expression element, Expression? value)
    {
        var clauses = new List<ComprehensionClause>();
        while (AcceptKeyword("for"))
        {
            var target = ParseTargetList();
            if (!AcceptKeyword("in"))
            {
                throw Unexpected("expected `in` in the comprehension", SupportedExpressions);
            }
            var iterable = ParseOr();
            var conditions = new List<Expression>();
            while (Current.IsKeyword("if"))
            {
                Advance();
                conditions.Add(ParseOr());
            }
            clauses.Add(new ComprehensionClause(target, iterable, conditions));
        }
        if (Current.IsKeyword("async"))
        {
            throw ErrorAtLine(Current, "`async` comprehensions are not supported", SupportedExpressions);
        }
        return new Comprehension(kind, element, value, clauses, SpanFrom(start));
    }

    private Expression ParseStrings()
    {
        var start = Current;
        var fields = new List<FormattedField>();
        var formatted = false;
        while (Current.Kind is TokenKind.String or TokenKind.FormattedString)
        {
            var token = Advance();
            if (token.Unsupported is not null)
            {
                return new Unsupported(token.Unsupported, StringSupport, SpanFrom(start));
            }
            if (token.Kind == TokenKind.String)
            {
                fields.Add(new FormattedField((string)token.Value!, null, '\0'));
                continue;
            }
            formatted = true;
            foreach (var part in token.Parts)
            {
                fields.Add(part.Literal is not null ? new FormattedField(part.Literal, null, '\0') : ParseField(part));
            }
        }
        return formatted
            ? new FormattedString(fields, SpanFrom(start))
            : new Constant(string.Concat(fields.Select(field => field.Literal)), SpanFrom(start));
    }

    private FormattedField ParseField(FormattedStringPart part)
    {
        if (part.Unsupported is not null)
        {
            var close = _source.Text.IndexOf('}', part.UnsupportedOffset);
            var span = new Span(part.UnsupportedOffset, close < 0 ? part.UnsupportedOffset + 1 : close);
            return new FormattedField(null, new Unsupported(part.Unsupported,
                "f-string fields hold an expression and an optional !s or !r, as in f\"{host}:{port}\"; format the value first, e.g. str(round(x, 2))", span), '\0');
        }
        var (tokens, index, level) = (_tokens, _index, _level);
        _tokens = new PythonLexer(_source, part.ExpressionStart, part.ExpressionEnd, expressionOnly: true).Tokenize();
        _index = 0;
        try
        {
            var value = ParseExpressionList();
            if (Current.Kind != TokenKind.EndOfFile)
            {
                throw Unexpected($"unexpected `{Current.Text}` in f-string expression", SupportedExpressions);
            }
            return new FormattedField(null, value, part.Conversion);
        }
        finally
        {
            (_tokens, _index, _level) = (tokens, index, level);
        }
    }
}
