namespace Procman.Configuration.Python;

internal enum TokenKind
{
    Name,
    Number,
    String,
    FormattedString,
    Operator,
    Newline,
    Indent,
    Dedent,
    EndOfFile,
}
