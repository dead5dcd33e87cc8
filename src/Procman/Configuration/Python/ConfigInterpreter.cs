namespace Procman.Configuration.Python;

/// <summary>
/// Parses and runs a config file in one pass. Branches that are not taken (if/elif/else, the lazy
/// side of and/or/conditional expressions) are still parsed, so syntax errors anywhere are reported,
/// but with <see cref="_executing"/> off, so they have no effects and raise no runtime errors.
/// </summary>
internal sealed partial class ConfigInterpreter
{
    private const string SupportedStatements =
        "supported statements: assignment (x = ..., a = b = ..., a, b = ...), +=, -=, *=, if/elif/else, "
        + "import/from-import of os, os.path and multiprocessing, def (hooks are recorded, not run), pass, docstrings";

    private static readonly Dictionary<string, string> UnsupportedStatements = new(StringComparer.Ordinal)
    {
        ["while"] = "`while` loops are not supported",
        ["for"] = "`for` loops are not supported",
        ["class"] = "`class` definitions are not supported",
        ["try"] = "`try` statements are not supported",
        ["with"] = "`with` statements are not supported",
        ["async"] = "`async` statements are not supported",
        ["return"] = "`return` outside a function is not supported",
        ["yield"] = "`yield` is not supported",
        ["raise"] = "`raise` is not supported",
        ["global"] = "`global` is not supported",
        ["nonlocal"] = "`nonlocal` is not supported",
        ["del"] = "`del` is not supported",
        ["assert"] = "`assert` is not supported",
        ["break"] = "`break` is not supported",
        ["continue"] = "`continue` is not supported",
        ["except"] = "`except` without `try` is not supported",
        ["finally"] = "`finally` without `try` is not supported",
        ["elif"] = "`elif` without a matching `if`",
        ["else"] = "`else` without a matching `if`",
    };

    private static readonly HashSet<string> AugmentedOperators = new(StringComparer.Ordinal) { "+=", "-=", "*=", "/=", "//=", "%=", "**=" };

    private readonly PythonSource _source;
    private readonly IEnvironment _environment;
    private readonly int _cpuCount;
    private readonly Dictionary<string, object?> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigAssignment> _assignments = new(StringComparer.Ordinal);
    private readonly List<string> _assignmentOrder = [];
    private readonly List<ConfigHook> _hooks = [];
    private IReadOnlyList<Token> _tokens;
    private int _index;
    private bool _executing = true;

    public ConfigInterpreter(PythonSource source, IEnvironment environment, int cpuCount)
    {
        _source = source;
        _environment = environment;
        _cpuCount = cpuCount;
        _tokens = new PythonLexer(source).Tokenize();
    }

    public ConfigModule Run()
    {
        while (Current.Kind != TokenKind.EndOfFile)
        {
            ParseStatement();
        }
        var assignments = _assignmentOrder.Where(_assignments.ContainsKey).Select(name => _assignments[name]).ToList();
        return new ConfigModule(assignments, _hooks.ToList());
    }

    private Token Current => _tokens[_index];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Previous => _tokens[Math.Max(_index - 1, 0)];

    private Token Advance() => _tokens[_index < _tokens.Count - 1 ? _index++ : _index];

    private bool AcceptOperator(string text)
    {
        if (Current.IsOperator(text))
        {
            _index++;
            return true;
        }
        return false;
    }

    private Token ExpectOperator(string text, string context)
    {
        if (!Current.IsOperator(text))
        {
            throw Unexpected($"expected `{text}` {context}");
        }
        return Advance();
    }

    private Token ExpectName(string context)
    {
        if (Current.Kind != TokenKind.Name || PythonKeywords.Contains(Current.Text))
        {
            throw Unexpected($"expected a name {context}");
        }
        return Advance();
    }

    private ConfigSyntaxException Unexpected(string problem, string supported = SupportedStatements)
    {
        var token = Current;
        var shown = token.Kind switch
        {
            TokenKind.Newline => "end of line",
            TokenKind.EndOfFile => "end of file",
            TokenKind.Indent => "indentation",
            TokenKind.Dedent => "end of block",
            _ => null,
        };
        if (shown is null)
        {
            return _source.Error(token.Start, token.End, problem, supported);
        }
        var (line, column) = _source.Locate(token.Start);
        return new ConfigSyntaxException(_source.FileName, line, column, problem, shown, supported);
    }

    private ConfigSyntaxException ErrorAtLine(Token start, string problem, string supported = SupportedStatements) =>
        _source.Error(start.Start, _source.EndOfLine(start.Start), problem, supported);

    private ConfigSyntaxException ErrorSpan(Token start, string problem, string supported) =>
        _source.Error(start.Start, Math.Max(Previous.End, start.End), problem, supported);

    private void ParseStatement()
    {
        var token = Current;
        if (token.Kind == TokenKind.Indent)
        {
            throw ErrorAtLine(Peek(), "unexpected indent", "indent only the body of an if/elif/else or def");
        }
        if (token.IsOperator("@"))
        {
            throw ErrorAtLine(token, "decorators are not supported", SupportedStatements);
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
                    ParseIf();
                    return;
                case "def":
                    ParseDef();
                    return;
            }
        }
        ParseSimpleStatements();
    }

    private void ParseSimpleStatements()
    {
        ParseSmallStatement();
        while (AcceptOperator(";"))
        {
            if (Current.Kind is TokenKind.Newline or TokenKind.EndOfFile)
            {
                break;
            }
            ParseSmallStatement();
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

    private void ParseSmallStatement()
    {
        var token = Current;
        if (token.Kind == TokenKind.Name && UnsupportedStatements.TryGetValue(token.Text, out var problem))
        {
            throw ErrorAtLine(token, problem);
        }
        if (token.IsKeyword("pass"))
        {
            Advance();
        }
        else if (token.IsKeyword("import"))
        {
            ParseImport();
        }
        else if (token.IsKeyword("from"))
        {
            ParseFromImport();
        }
        else if (DocstringAhead())
        {
            ParseDocstring();
        }
        else if (AssignmentAhead(out var augmented))
        {
            ParseAssignment(augmented);
        }
        else
        {
            throw ErrorAtLine(token, "expression statements are not supported (only docstrings and assignments)");
        }
    }

    private bool DocstringAhead()
    {
        var i = _index;
        while (_tokens[i].Kind is TokenKind.String or TokenKind.FormattedString)
        {
            i++;
        }
        return i > _index && (_tokens[i].Kind is TokenKind.Newline or TokenKind.EndOfFile || _tokens[i].IsOperator(";"));
    }

    private void ParseDocstring()
    {
        var saved = _executing;
        _executing = false;
        ParseAtom();
        _executing = saved;
    }

    /// <summary>Looks for `=` or an augmented operator at bracket depth 0 before the end of the statement.</summary>
    private bool AssignmentAhead(out Token? augmented)
    {
        augmented = null;
        var depth = 0;
        for (var i = _index; i < _tokens.Count; i++)
        {
            var token = _tokens[i];
            if (token.Kind is TokenKind.Newline or TokenKind.EndOfFile || (depth == 0 && token.IsOperator(";")))
            {
                return false;
            }
            if (token.Kind != TokenKind.Operator)
            {
                continue;
            }
            depth += token.Text switch
            {
                "(" or "[" or "{" => 1,
                ")" or "]" or "}" => -1,
                _ => 0,
            };
            if (depth == 0 && token.Text == "=")
            {
                return true;
            }
            if (depth == 0 && token.Text.Length > 1 && token.Text.EndsWith('=') && token.Text is not ("==" or "!=" or "<=" or ">="))
            {
                augmented = token;
                return true;
            }
        }
        return false;
    }

    private void ParseAssignment(Token? augmented)
    {
        if (augmented is not null)
        {
            ParseAugmentedAssignment(augmented);
            return;
        }
        var targetLists = new List<List<Token>>();
        do
        {
            targetLists.Add(ParseTargets());
            ExpectOperator("=", "in assignment");
        }
        while (AssignmentAhead(out _));
        var valueStart = Current;
        var value = ParseExpressionList();
        if (!_executing)
        {
            return;
        }
        foreach (var targets in targetLists)
        {
            if (targets.Count == 1)
            {
                Bind(targets[0], value, valueStart);
                continue;
            }
            if (value is not IReadOnlyList<object?> sequence || value is null)
            {
                throw ErrorSpan(valueStart, $"cannot unpack {PythonValues.TypeName(value)} into {targets.Count} names", "unpack a tuple or list of the same length, as in `a, b = 1, 2`");
            }
            if (sequence.Count != targets.Count)
            {
                throw ErrorSpan(valueStart, $"cannot unpack {sequence.Count} values into {targets.Count} names", "unpack a tuple or list of the same length, as in `a, b = 1, 2`");
            }
            for (var i = 0; i < targets.Count; i++)
            {
                Bind(targets[i], sequence[i], valueStart);
            }
        }
    }

    private List<Token> ParseTargets()
    {
        var parenthesized = AcceptOperator("(") || AcceptOperator("[");
        var closing = parenthesized ? (Previous.Text == "(" ? ")" : "]") : null;
        var targets = new List<Token>();
        do
        {
            if (Current.IsOperator("*"))
            {
                throw ErrorAtLine(Current, "starred assignment targets are not supported");
            }
            var name = ExpectTarget();
            targets.Add(name);
        }
        while (AcceptOperator(",") && !Current.IsOperator("=") && !(closing is not null && Current.IsOperator(closing)));
        if (closing is not null)
        {
            ExpectOperator(closing, "after assignment targets");
        }
        if (Current.IsOperator(":"))
        {
            throw ErrorAtLine(targets[0], "annotated assignments are not supported", "write `name = value` without a type annotation");
        }
        return targets;
    }

    private Token ExpectTarget()
    {
        var start = Current;
        if (start.Kind != TokenKind.Name || PythonKeywords.Contains(start.Text))
        {
            throw ErrorAtLine(start, "only plain names can be assigned", "assign to names, as in `workers = 4`");
        }
        Advance();
        if (Current.IsOperator(".") || Current.IsOperator("[") || Current.IsOperator("("))
        {
            throw ErrorAtLine(start, "only plain names can be assigned (not attributes, items or calls)", "assign to names, as in `workers = 4`");
        }
        return start;
    }

    private void ParseAugmentedAssignment(Token op)
    {
        var target = ExpectTarget();
        if (!AugmentedOperators.Contains(Current.Text))
        {
            throw Unexpected($"augmented assignment `{Current.Text}` is not supported", "supported: += -= *= /= //= %= **=");
        }
        Advance();
        var valueStart = Current;
        var value = ParseExpressionList();
        if (!_executing)
        {
            return;
        }
        var current = LookupName(target);
        var result = Guard(target, () => PythonValues.Binary(op.Text[..^1], current, value));
        Bind(target, result, target);
    }

    private void Bind(Token target, object? value, Token valueStart)
    {
        if (!PythonValues.IsData(value))
        {
            throw ErrorSpan(valueStart, $"cannot assign a {PythonValues.TypeName(value)} to `{target.Text}`; only data values can be assigned", "assign numbers, strings, booleans, None, lists, tuples or dicts");
        }
        _names[target.Text] = value;
        _hooks.RemoveAll(hook => hook.Name == target.Text);
        if (!_assignments.ContainsKey(target.Text))
        {
            _assignmentOrder.Add(target.Text);
        }
        _assignments[target.Text] = new ConfigAssignment(target.Text, value, target.Line, target.Column);
    }

    private void Rebind(string name, object value)
    {
        _names[name] = value;
        _assignments.Remove(name);
        _assignmentOrder.Remove(name);
        _hooks.RemoveAll(hook => hook.Name == name);
    }

    private void ParseIf()
    {
        var outer = _executing;
        var done = false;
        do
        {
            Advance();
            _executing = outer && !done;
            var condition = ParseTest();
            ExpectOperator(":", "after the condition");
            var taken = _executing && PythonValues.Truthy(condition);
            _executing = taken;
            ParseBlock();
            done |= taken;
        }
        while (Current.IsKeyword("elif"));
        if (Current.IsKeyword("else"))
        {
            Advance();
            ExpectOperator(":", "after `else`");
            _executing = outer && !done;
            ParseBlock();
        }
        _executing = outer;
    }

    private void ParseBlock()
    {
        if (Current.Kind != TokenKind.Newline)
        {
            ParseSimpleStatements();
            return;
        }
        Advance();
        if (Current.Kind != TokenKind.Indent)
        {
            throw Unexpected("expected an indented block", "indent the body of if/elif/else and def");
        }
        Advance();
        while (Current.Kind is not (TokenKind.Dedent or TokenKind.EndOfFile))
        {
            ParseStatement();
        }
        Advance();
    }

    private void ParseDef()
    {
        var def = Advance();
        var name = ExpectName("after `def`");
        ExpectOperator("(", "after the function name");
        var depth = 1;
        while (depth > 0)
        {
            var token = Advance();
            depth += token.Text switch
            {
                "(" or "[" or "{" when token.Kind == TokenKind.Operator => 1,
                ")" or "]" or "}" when token.Kind == TokenKind.Operator => -1,
                _ => 0,
            };
        }
        while (!Current.IsOperator(":") && Current.Kind is not (TokenKind.Newline or TokenKind.EndOfFile))
        {
            Advance();
        }
        ExpectOperator(":", "after the function signature");
        SkipBody();
        if (_executing)
        {
            var hook = new ConfigHook(name.Text, def.Line, def.Column);
            Rebind(name.Text, hook);
            _hooks.Add(hook);
        }
    }

    /// <summary>Skips a function body without interpreting it: hooks run in Python's world, not ours.</summary>
    private void SkipBody()
    {
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
            throw Unexpected("expected an indented block", "indent the body of if/elif/else and def");
        }
        Advance();
        var depth = 1;
        while (depth > 0 && Current.Kind != TokenKind.EndOfFile)
        {
            depth += Current.Kind switch
            {
                TokenKind.Indent => 1,
                TokenKind.Dedent => -1,
                _ => 0,
            };
            Advance();
        }
    }
}
