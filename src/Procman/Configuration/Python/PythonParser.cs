using Procman.Configuration.Python.Syntax;

namespace Procman.Configuration.Python;

/// <summary>
/// Parses tokens into a syntax tree, one node per construct. Nothing is evaluated here: the tree says
/// what the file wants done, and <see cref="ConfigInterpreter"/> decides what of it runs. A function
/// body whose syntax is outside the subset is kept as an opaque function (hooks may hold any Python);
/// only calling it is an error.
/// </summary>
internal sealed partial class PythonParser
{
    public const string SupportedStatements =
        "supported statements: assignment (a = b = ..., a, b = ..., d[k] = ...), augmented assignment, if/elif/else, for, while, "
        + "try/except/else/finally, def/return, import, assert, raise, pass, break, continue, del, global, expression statements";

    private readonly PythonSource _source;
    private IReadOnlyList<Token> _tokens;
    private int _index;
    private int _depth;
    private int _level;

    public PythonParser(PythonSource source)
    {
        _source = source;
        _tokens = new PythonLexer(source).Tokenize();
    }

    /// <summary>
    /// Parses the whole file. A statement with a syntax error is recorded in <paramref name="errors"/> and
    /// skipped, so every such statement of a file is reported in one run.
    /// </summary>
    public IReadOnlyList<Statement> ParseModule(List<ConfigSyntaxException> errors)
    {
        var body = new List<Statement>();
        while (Current.Kind != TokenKind.EndOfFile && errors.Count < EvaluationLimits.MaxErrors)
        {
            var level = _level;
            try
            {
                ParseStatement(body);
            }
            catch (ConfigSyntaxException error)
            {
                errors.Add(error);
                Recover(level);
            }
        }
        return body;
    }

    private Token Current => _tokens[_index];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Previous => _tokens[Math.Max(_index - 1, 0)];

    private Token Advance()
    {
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }
        _level += token.Kind switch
        {
            TokenKind.Indent => 1,
            TokenKind.Dedent => -1,
            _ => 0,
        };
        return token;
    }

    /// <summary>Skips to the start of the next statement at <paramref name="level"/>, past any block the bad one opened.</summary>
    private void Recover(int level)
    {
        while (Current.Kind != TokenKind.EndOfFile)
        {
            var token = Advance();
            if (_level == level && token.Kind is TokenKind.Newline or TokenKind.Dedent && Current.Kind != TokenKind.Indent)
            {
                return;
            }
        }
    }

    private Span SpanFrom(Token start) => new(start.Start, Math.Max(Previous.End, start.End));

    private bool AcceptOperator(string text)
    {
        if (Current.IsOperator(text))
        {
            Advance();
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

    /// <summary>Counts one level of nesting; deep nesting is refused before it can exhaust the stack.</summary>
    private void Enter()
    {
        if (++_depth > EvaluationLimits.MaxSyntaxDepth)
        {
            _depth--;
            throw ErrorAtLine(Current, $"the code is nested too deeply (the limit is {EvaluationLimits.MaxSyntaxDepth} levels)", "split it into several statements");
        }
    }

    private void Leave() => _depth--;
}
