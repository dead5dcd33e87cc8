namespace Procman.Configuration.Python;

/// <summary>
/// One lexical token. <see cref="Unsupported"/> is set for tokens that are valid Python but outside
/// the subset (bytes, complex numbers): lexing must not fail on them because hook bodies, which are
/// skipped, may legitimately contain them.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, int Start, int End, int Line, int Column)
{
    public object? Value { get; init; }

    public IReadOnlyList<FormattedStringPart> Parts { get; init; } = [];

    public string? Unsupported { get; init; }

    public bool IsOperator(string text) => Kind == TokenKind.Operator && Text == text;

    public bool IsKeyword(string text) => Kind == TokenKind.Name && Text == text;
}
