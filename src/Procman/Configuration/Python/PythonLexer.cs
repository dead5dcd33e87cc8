using System.Globalization;

namespace Procman.Configuration.Python;

/// <summary>
/// Turns Python source into tokens, with INDENT/DEDENT for blocks. It accepts all of Python's
/// lexical grammar that config files plausibly contain, because hook bodies may use anything and are
/// skipped when the parser does not know their syntax; narrowing to the subset is the parser's job.
/// </summary>
internal sealed partial class PythonLexer
{
    private const string Supported = "supported: names, numbers, strings (plain, raw, f-strings, triple-quoted), operators and brackets";

    private static readonly string[] Operators =
    [
        "**=", "//=", ">>=", "<<=", "...",
        "**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":=", "<<", ">>",
        "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
    ];

    private readonly PythonSource _source;
    private readonly string _text;
    private readonly int _end;
    private readonly bool _expressionOnly;
    private readonly List<Token> _tokens = [];
    private readonly Stack<string> _indents = new();
    private readonly Stack<Token> _brackets = new();
    private int _position;

    public PythonLexer(PythonSource source)
        : this(source, 0, source.Text.Length, expressionOnly: false)
    {
    }

    /// <summary>Lexes part of the source; in expression-only mode (f-string fields) newlines and indentation mean nothing.</summary>
    public PythonLexer(PythonSource source, int start, int end, bool expressionOnly)
    {
        _source = source;
        _text = source.Text;
        _position = start;
        _end = end;
        _expressionOnly = expressionOnly;
    }

    public IReadOnlyList<Token> Tokenize()
    {
        _indents.Push("");
        var atLineStart = !_expressionOnly;
        while (true)
        {
            if (atLineStart)
            {
                atLineStart = false;
                ReadIndentation();
            }
            if (_position >= _end)
            {
                break;
            }
            var c = _text[_position];
            if (c is ' ' or '\t' or '\f' or '\r')
            {
                _position++;
            }
            else if (c == '#')
            {
                while (_position < _end && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (c == '\n')
            {
                _position++;
                if (_brackets.Count == 0 && !_expressionOnly)
                {
                    AddNewline(_position - 1);
                    atLineStart = true;
                }
            }
            else if (c == '\\')
            {
                ReadLineContinuation();
            }
            else if (char.IsLetter(c) || c == '_')
            {
                ReadNameOrPrefixedString();
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && _position + 1 < _end && char.IsAsciiDigit(_text[_position + 1])))
            {
                ReadNumber();
            }
            else if (c is '"' or '\'')
            {
                ReadString(_position, "");
            }
            else
            {
                ReadOperator();
            }
        }
        Finish();
        return _tokens;
    }

    private void Finish()
    {
        if (_brackets.Count > 0)
        {
            var open = _brackets.Peek();
            throw _source.Error(open.Start, open.End, $"`{open.Text}` is never closed", "every (, [ and { needs its closing bracket");
        }
        if (!_expressionOnly)
        {
            AddNewline(_end);
            while (_indents.Count > 1)
            {
                _indents.Pop();
                Add(TokenKind.Dedent, _end, _end);
            }
        }
        Add(TokenKind.EndOfFile, _end, _end);
    }

    private void AddNewline(int offset)
    {
        if (_tokens.Count > 0 && _tokens[^1].Kind is not (TokenKind.Newline or TokenKind.Dedent or TokenKind.Indent))
        {
            Add(TokenKind.Newline, offset, offset);
        }
    }

    private Token Add(TokenKind kind, int start, int end, object? value = null, string? unsupported = null, IReadOnlyList<FormattedStringPart>? parts = null)
    {
        var (line, column) = _source.Locate(start);
        var token = new Token(kind, _text[start..end], start, end, line, column)
        {
            Value = value,
            Unsupported = unsupported,
            Parts = parts ?? [],
        };
        _tokens.Add(token);
        return token;
    }

    private void ReadIndentation()
    {
        var start = _position;
        while (_position < _end && _text[_position] is ' ' or '\t' or '\f')
        {
            _position++;
        }
        if (_position >= _end || _text[_position] is '#' or '\n' or '\r')
        {
            return;
        }
        var indent = _text[start.._position].Replace("\f", "", StringComparison.Ordinal);
        if (indent == _indents.Peek())
        {
            return;
        }
        if (indent.StartsWith(_indents.Peek(), StringComparison.Ordinal))
        {
            if (_indents.Count > EvaluationLimits.MaxIndentation)
            {
                throw _source.Error(start, _source.EndOfLine(start), $"too many levels of indentation (the limit is {EvaluationLimits.MaxIndentation})", "nest fewer blocks");
            }
            _indents.Push(indent);
            Add(TokenKind.Indent, start, _position);
            return;
        }
        while (indent != _indents.Peek())
        {
            var top = _indents.Peek();
            if (top.StartsWith(indent, StringComparison.Ordinal))
            {
                _indents.Pop();
                Add(TokenKind.Dedent, _position, _position);
            }
            else if (indent.StartsWith(top, StringComparison.Ordinal))
            {
                throw _source.Error(_position, _source.EndOfLine(_position), "unindent does not match any outer indentation level", "indent each block consistently");
            }
            else
            {
                throw _source.Error(_position, _source.EndOfLine(_position), "inconsistent use of tabs and spaces in indentation", "indent with spaces only (or tabs only)");
            }
        }
    }

    private void ReadLineContinuation()
    {
        var next = _position + 1;
        if (next < _end && _text[next] == '\r')
        {
            next++;
        }
        if (next < _end && _text[next] == '\n')
        {
            _position = next + 1;
            return;
        }
        throw _source.Error(_position, _position + 1, "unexpected character after line continuation `\\`", "a `\\` must be the last character of its line");
    }

    private void ReadNameOrPrefixedString()
    {
        var start = _position;
        while (_position < _end && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }
        var prefix = _text[start.._position].ToLowerInvariant();
        if (_position < _end && _text[_position] is '"' or '\'' && prefix is "r" or "u" or "f" or "b" or "rb" or "br" or "fr" or "rf")
        {
            ReadString(start, prefix);
            return;
        }
        Add(TokenKind.Name, start, _position);
    }

    private void ReadOperator()
    {
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(_text, _position, op, 0, op.Length) == 0 && _position + op.Length <= _end)
            {
                var token = Add(TokenKind.Operator, _position, _position + op.Length);
                _position += op.Length;
                TrackBracket(token);
                return;
            }
        }
        throw _source.Error(_position, _position + 1, $"unexpected character `{_text[_position]}`", Supported);
    }

    private void TrackBracket(Token token)
    {
        switch (token.Text)
        {
            case "(" or "[" or "{":
                if (_brackets.Count >= EvaluationLimits.MaxBracketNesting)
                {
                    throw _source.Error(token.Start, token.End, $"too many nested brackets (the limit is {EvaluationLimits.MaxBracketNesting})", "flatten the expression into several assignments");
                }
                _brackets.Push(token);
                break;
            case ")" or "]" or "}":
                var expected = _brackets.Count == 0 ? null : _brackets.Peek().Text switch
                {
                    "(" => ")",
                    "[" => "]",
                    _ => "}",
                };
                if (expected != token.Text)
                {
                    var problem = expected is null ? $"unmatched `{token.Text}`" : $"`{token.Text}` does not match `{_brackets.Peek().Text}`";
                    throw _source.Error(token.Start, token.End, problem, "brackets must be balanced");
                }
                _brackets.Pop();
                break;
        }
    }

    private void ReadNumber()
    {
        var start = _position;
        var isFloat = false;
        if (_text[_position] == '0' && _position + 1 < _end && char.ToLowerInvariant(_text[_position + 1]) is 'x' or 'o' or 'b')
        {
            var radix = char.ToLowerInvariant(_text[_position + 1]) switch
            {
                'x' => 16,
                'o' => 8,
                _ => 2,
            };
            _position += 2;
            SkipDigits(c => char.IsAsciiHexDigit(c));
            AddInteger(start, _text[(start + 2).._position], radix);
            return;
        }
        SkipDigits(char.IsAsciiDigit);
        if (_position < _end && _text[_position] == '.')
        {
            isFloat = true;
            _position++;
            SkipDigits(char.IsAsciiDigit);
        }
        if (_position < _end && _text[_position] is 'e' or 'E')
        {
            var mark = _position;
            _position++;
            if (_position < _end && _text[_position] is '+' or '-')
            {
                _position++;
            }
            if (_position < _end && char.IsAsciiDigit(_text[_position]))
            {
                isFloat = true;
                SkipDigits(char.IsAsciiDigit);
            }
            else
            {
                _position = mark;
            }
        }
        if (_position < _end && _text[_position] is 'j' or 'J')
        {
            _position++;
            Add(TokenKind.Number, start, _position, unsupported: "complex numbers are not supported");
            return;
        }
        var digits = _text[start.._position];
        if (isFloat)
        {
            CheckUnderscores(start, digits);
            Add(TokenKind.Number, start, _position, double.Parse(digits.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
            return;
        }
        if (digits.Length > 1 && digits[0] == '0' && digits.Any(c => c is >= '1' and <= '9'))
        {
            throw _source.Error(start, _position, "leading zeros in decimal integer literals are not permitted", "write octal numbers as 0o22");
        }
        AddInteger(start, digits, 10);
    }

    private void SkipDigits(Func<char, bool> isDigit)
    {
        while (_position < _end && (isDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }
        if (_position < _end && (char.IsLetterOrDigit(_text[_position]) && _text[_position] is not ('e' or 'E' or 'j' or 'J')))
        {
            throw _source.Error(_position, _position + 1, "invalid digit in number literal", "numbers like 8000, 1_000, 0o022, 0x1F, 0b101, 1.5, 1e3");
        }
    }

    private void CheckUnderscores(int start, string digits)
    {
        for (var i = 0; i < digits.Length; i++)
        {
            if (digits[i] == '_' && (i == 0 || i == digits.Length - 1 || !char.IsAsciiHexDigit(digits[i - 1]) || !char.IsAsciiHexDigit(digits[i + 1])))
            {
                throw _source.Error(start, _position, "invalid underscore in number literal", "underscores may only separate digits, as in 1_000");
            }
        }
    }

    private void AddInteger(int start, string digits, int radix)
    {
        CheckUnderscores(start, digits.TrimStart('_'));
        var clean = digits.Replace("_", "", StringComparison.Ordinal);
        if (clean.Length == 0 || clean.Any(c => HexValue(c) >= radix))
        {
            throw _source.Error(start, _position, $"invalid base-{radix} number literal", "numbers like 8000, 1_000, 0o022, 0x1F, 0b101, 1.5, 1e3");
        }
        long value = 0;
        foreach (var c in clean)
        {
            if (value > (long.MaxValue - HexValue(c)) / radix)
            {
                Add(TokenKind.Number, start, _position, unsupported: "integers must fit in 64 bits");
                return;
            }
            value = (value * radix) + HexValue(c);
        }
        Add(TokenKind.Number, start, _position, value);
    }

    private static int HexValue(char c) => char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
}
