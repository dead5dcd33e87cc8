using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

internal sealed partial class PythonParser
{
    private static readonly Dictionary<string, string> UnsupportedStatements = new(StringComparer.Ordinal)
    {
        ["class"] = "`class` definitions are not supported",
        ["with"] = "`with` statements are not supported",
        ["async"] = "`async` statements are not supported",
        ["yield"] = "`yield` is not supported",
        ["nonlocal"] = "`nonlocal` is not supported",
        ["except"] = "`except` without `try`",
        ["finally"] = "`finally` without `try`",
        ["elif"] = "`elif` without a matching `if`",
        ["else"] = "`else` without a matching `if`",
    };

    private static readonly HashSet<string> AugmentedOperators = new(StringComparer.Ordinal)
    {
        "+=", "-=", "*=", "/=", "//=", "%=", "**=", "|=", "&=", "^=", "<<=", ">>=",
    };

    private void ParseStatement(List<Statement> into)
    {
        Enter();
        try
        {
            var token = Current;
            if (token.Kind == TokenKind.Indent)
            {
                throw ErrorAtLine(Peek(), "unexpected indent", "indent only the body of a block (if, for, while, try, def)");
            }
            if (token.IsOperator("@"))
            {
                throw ErrorAtLine(token, "decorators are not supported");
            }
            if (token.Kind == TokenKind.Name)
            {
                if (UnsupportedStatements.TryGetValue(token.Text, out var problem))
                {
                    throw ErrorAtLine(token, problem);
                }
                switch (token.Text)
                {
                    case "if":
                        into.Add(ParseIf());
                        return;
                    case "for":
                        into.Add(ParseFor());
                        return;
                    case "while":
                        into.Add(ParseWhile());
                        return;
                    case "try":
                        into.Add(ParseTry());
                        return;
                    case "def":
                        into.Add(ParseDef());
                        return;
                }
            }
            ParseSimpleStatements(into);
        }
        finally
        {
            Leave();
        }
    }

    private void ParseSimpleStatements(List<Statement> into)
    {
        into.Add(ParseSmallStatement());
        while (AcceptOperator(";"))
        {
            if (Current.Kind is TokenKind.Newline or TokenKind.EndOfFile)
            {
                break;
            }
            into.Add(ParseSmallStatement());
        }
        if (Current.Kind == TokenKind.EndOfFile)
        {
            return;
        }
        if (Current.Kind != TokenKind.Newline)
        {
            throw Unexpected($"unexpected `{Current.Text}`; expected the end of the statement", SupportedExpressions);
        }
        Advance();
    }

    private Statement ParseSmallStatement()
    {
        var start = Current;
        if (start.Kind == TokenKind.Name && UnsupportedStatements.TryGetValue(start.Text, out var problem))
        {
            throw ErrorAtLine(start, problem);
        }
        switch (start.Kind == TokenKind.Name ? start.Text : "")
        {
            case "pass":
                Advance();
                return new Pass(SpanFrom(start));
            case "break":
                Advance();
                return new Break(SpanFrom(start));
            case "continue":
                Advance();
                return new Continue(SpanFrom(start));
            case "return":
                Advance();
                var value = AtStatementEnd() ? null : ParseExpressionList();
                return new Return(value, SpanFrom(start));
            case "import":
                return ParseImport();
            case "from":
                return ParseFromImport();
            case "global":
                Advance();
                var names = new List<string> { ExpectName("after `global`").Text };
                while (AcceptOperator(","))
                {
                    names.Add(ExpectName("after `,`").Text);
                }
                return new Global(names, SpanFrom(start));
            case "del":
                Advance();
                var targets = new List<Expression> { ParseBitOr() };
                while (AcceptOperator(",") && !AtStatementEnd())
                {
                    targets.Add(ParseBitOr());
                }
                return new Delete(targets, SpanFrom(start));
            case "assert":
                Advance();
                var test = ParseTest();
                var message = AcceptOperator(",") ? ParseTest() : null;
                return new Assert(test, message, SpanFrom(start));
            case "raise":
                Advance();
                var exception = AtStatementEnd() ? null : ParseTest();
                if (AcceptKeyword("from"))
                {
                    ParseTest();
                }
                return new Raise(exception, SpanFrom(start));
        }
        return ParseExpressionStatement(start);
    }

    private bool AtStatementEnd() => Current.Kind is TokenKind.Newline or TokenKind.EndOfFile || Current.IsOperator(";");

    private Statement ParseExpressionStatement(Token start)
    {
        var first = ParseExpressionList();
        if (Current.IsOperator(":") && first is Name or Subscript or AttributeAccess)
        {
            // An annotation changes nothing at run time: `x: int = 1` is `x = 1`.
            Advance();
            ParseTest();
            if (!AcceptOperator("="))
            {
                return new Pass(SpanFrom(start));
            }
            return new Assignment([CheckTarget(first)], ParseExpressionList(), SpanFrom(start));
        }
        if (Current.Kind == TokenKind.Operator && AugmentedOperators.Contains(Current.Text))
        {
            var op = Advance().Text[..^1];
            if (first is not (Name or Subscript or AttributeAccess))
            {
                throw _source.Error(first.Span, "illegal expression for augmented assignment", "augment a name or an item, as in `workers += 1`");
            }
            return new AugmentedAssignment(first, op, ParseExpressionList(), SpanFrom(start));
        }
        if (Current.Kind == TokenKind.Operator && Current.Text.EndsWith('=') && Current.Text.Length > 1 && Current.Text is not ("==" or "!=" or "<=" or ">="))
        {
            throw Unexpected($"augmented assignment `{Current.Text}` is not supported", "supported: += -= *= /= //= %= **= |= &= ^= <<= >>=");
        }
        if (!Current.IsOperator("="))
        {
            return new ExpressionStatement(first, SpanFrom(start));
        }
        var targets = new List<Expression> { CheckTarget(first) };
        var value = first;
        while (AcceptOperator("="))
        {
            value = ParseExpressionList();
            if (Current.IsOperator("="))
            {
                targets.Add(CheckTarget(value));
            }
        }
        return new Assignment(targets, value, SpanFrom(start));
    }

    private Expression CheckTarget(Expression target)
    {
        switch (target)
        {
            case Name or Subscript or AttributeAccess:
                return target;
            case TupleDisplay tuple:
                tuple.Items.ToList().ForEach(item => CheckTarget(item));
                return target;
            case ListDisplay list:
                list.Items.ToList().ForEach(item => CheckTarget(item));
                return target;
            default:
                throw _source.Error(target.Span, "cannot assign to this expression", "assign to names or items, as in `workers = 4` or `env['A'] = '1'`");
        }
    }

    private If ParseIf()
    {
        var start = Advance();
        var test = ParseTest();
        ExpectOperator(":", "after the condition");
        var body = ParseBlock();
        IReadOnlyList<Statement> orElse = [];
        if (Current.IsKeyword("elif"))
        {
            orElse = [ParseIf()];
        }
        else if (AcceptKeyword("else"))
        {
            ExpectOperator(":", "after `else`");
            orElse = ParseBlock();
        }
        return new If(test, body, orElse, SpanFrom(start));
    }

    private For ParseFor()
    {
        var start = Advance();
        var target = ParseTargetList();
        if (!AcceptKeyword("in"))
        {
            throw Unexpected("expected `in` in the `for` statement");
        }
        var iterable = ParseExpressionList();
        ExpectOperator(":", "after the `for` header");
        var body = ParseBlock();
        return new For(target, iterable, body, ParseElse(), SpanFrom(start));
    }

    private While ParseWhile()
    {
        var start = Advance();
        var test = ParseTest();
        ExpectOperator(":", "after the condition");
        var body = ParseBlock();
        return new While(test, body, ParseElse(), SpanFrom(start));
    }

    private IReadOnlyList<Statement> ParseElse()
    {
        if (!AcceptKeyword("else"))
        {
            return [];
        }
        ExpectOperator(":", "after `else`");
        return ParseBlock();
    }

    private Try ParseTry()
    {
        var start = Advance();
        ExpectOperator(":", "after `try`");
        var body = ParseBlock();
        var handlers = new List<ExceptHandler>();
        while (Current.IsKeyword("except"))
        {
            var handlerStart = Advance();
            if (Current.IsOperator("*"))
            {
                throw ErrorAtLine(handlerStart, "`except*` is not supported");
            }
            Expression? type = null;
            string? name = null;
            if (!Current.IsOperator(":"))
            {
                type = ParseTest();
                if (AcceptKeyword("as"))
                {
                    name = ExpectName("after `as`").Text;
                }
            }
            ExpectOperator(":", "after the `except` clause");
            handlers.Add(new ExceptHandler(type, name, ParseBlock(), SpanFrom(handlerStart)));
        }
        var orElse = handlers.Count > 0 ? ParseElse() : [];
        IReadOnlyList<Statement> final = [];
        if (AcceptKeyword("finally"))
        {
            ExpectOperator(":", "after `finally`");
            final = ParseBlock();
        }
        if (handlers.Count == 0 && final.Count == 0)
        {
            throw Unexpected("expected `except` or `finally` after the `try` block");
        }
        return new Try(body, handlers, orElse, final, SpanFrom(start));
    }

    private IReadOnlyList<Statement> ParseBlock()
    {
        var body = new List<Statement>();
        if (Current.Kind != TokenKind.Newline)
        {
            ParseSimpleStatements(body);
            return body;
        }
        Advance();
        if (Current.Kind != TokenKind.Indent)
        {
            throw Unexpected("expected an indented block", "indent the body of if, for, while, try and def");
        }
        Advance();
        while (Current.Kind is not (TokenKind.Dedent or TokenKind.EndOfFile))
        {
            ParseStatement(body);
        }
        Advance();
        return body;
    }

    private FunctionDefinition ParseDef()
    {
        var start = Advance();
        var name = ExpectName("after `def`");
        var (index, level, depth) = (_index, _level, _depth);
        try
        {
            ExpectOperator("(", "after the function name");
            var parameters = ParseParameters(")");
            ExpectOperator(")", "to close the parameters");
            if (AcceptOperator("->"))
            {
                ParseTest();
            }
            ExpectOperator(":", "after the function signature");
            return new FunctionDefinition(name.Text, parameters, ParseBlock(), null, SpanFrom(start));
        }
        catch (ConfigSyntaxException error)
        {
            // Hooks hold arbitrary Python (with, class, *args, ...): keep such a function, opaque,
            // and fail only if the file calls it.
            (_index, _level, _depth) = (index, level, depth);
            SkipFunction();
            return new FunctionDefinition(name.Text, [], [], error.Message, SpanFrom(start));
        }
    }

    private List<Parameter> ParseParameters(string closing)
    {
        var parameters = new List<Parameter>();
        while (!Current.IsOperator(closing))
        {
            if (Current.IsOperator("*") || Current.IsOperator("**") || Current.IsOperator("/"))
            {
                throw ErrorAtLine(Current, "`*args`, `**kwargs` and `/` in parameters are not supported", "name each parameter, optionally with a default");
            }
            var name = ExpectName("for a parameter").Text;
            if (closing == ")" && AcceptOperator(":"))
            {
                ParseTest();
            }
            var fallback = AcceptOperator("=") ? ParseTest() : null;
            parameters.Add(new Parameter(name, fallback));
            if (!AcceptOperator(","))
            {
                break;
            }
        }
        return parameters;
    }

    /// <summary>Skips a signature and body without parsing them, by brackets and indentation alone.</summary>
    private void SkipFunction()
    {
        var brackets = 0;
        while (Current.Kind != TokenKind.EndOfFile && !(brackets == 0 && Current.IsOperator(":")))
        {
            var token = Advance();
            brackets += token.Kind != TokenKind.Operator ? 0 : token.Text switch
            {
                "(" or "[" or "{" => 1,
                ")" or "]" or "}" => -1,
                _ => 0,
            };
        }
        Advance();
        if (Current.Kind != TokenKind.Newline)
        {
            while (Current.Kind is not (TokenKind.Newline or TokenKind.EndOfFile))
            {
                Advance();
            }
            Advance();
            return;
        }
        Advance();
        if (Current.Kind != TokenKind.Indent)
        {
            throw Unexpected("expected an indented block", "indent the body of if, for, while, try and def");
        }
        var level = _level;
        Advance();
        while (_level > level && Current.Kind != TokenKind.EndOfFile)
        {
            Advance();
        }
    }

    private Statement ParseImport()
    {
        var start = Advance();
        var modules = new List<ImportedName>();
        do
        {
            var nameStart = Current;
            var dotted = ParseDottedName();
            var alias = AcceptKeyword("as") ? ExpectName("after `as`").Text : null;
            modules.Add(new ImportedName(dotted, alias, SpanFrom(nameStart)));
        }
        while (AcceptOperator(","));
        return new Import(modules, SpanFrom(start));
    }

    private Statement ParseFromImport()
    {
        var start = Advance();
        var dots = "";
        while (Current.IsOperator(".") || Current.IsOperator("..."))
        {
            dots += Advance().Text;
        }
        var module = dots + (dots.Length > 0 && Current.IsKeyword("import") ? "" : ParseDottedName());
        if (!AcceptKeyword("import"))
        {
            throw Unexpected("expected `import`");
        }
        var parenthesized = AcceptOperator("(");
        if (Current.IsOperator("*"))
        {
            throw ErrorAtLine(Current, "`from ... import *` is not supported", "import names explicitly, as in `from os import environ`");
        }
        var names = new List<ImportedName>();
        do
        {
            if (parenthesized && Current.IsOperator(")"))
            {
                break;
            }
            var name = ExpectName("to import");
            var alias = AcceptKeyword("as") ? ExpectName("after `as`").Text : null;
            names.Add(new ImportedName(name.Text, alias, SpanFrom(name)));
        }
        while (AcceptOperator(","));
        if (parenthesized)
        {
            ExpectOperator(")", "to close the import list");
        }
        return new ImportFrom(module, names, SpanFrom(start));
    }

    private string ParseDottedName()
    {
        var dotted = ExpectName("of a module").Text;
        while (AcceptOperator("."))
        {
            dotted += "." + ExpectName("in the module name").Text;
        }
        return dotted;
    }
}
