namespace Procman.Configuration.Python;

/// <summary>
/// A piece of an f-string: either literal text, or the source range of a replacement field's
/// expression (re-lexed in place so errors inside it point at the right column).
/// </summary>
internal sealed record FormattedStringPart(string? Literal, int ExpressionStart, int ExpressionEnd, char Conversion, string? Unsupported, int UnsupportedOffset)
{
    public static FormattedStringPart Text(string literal) => new(literal, 0, 0, '\0', null, 0);
}
