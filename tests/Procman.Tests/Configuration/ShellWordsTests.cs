using Procman.Configuration;

namespace Procman.Tests.Configuration;

public sealed class ShellWordsTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("  -w   4 ", new[] { "-w", "4" })]
    [InlineData("-b 'unix:/run/my app.sock'", new[] { "-b", "unix:/run/my app.sock" })]
    [InlineData("-e \"GREETING=hello world\"", new[] { "-e", "GREETING=hello world" })]
    [InlineData("-e A=\"x\\\"y\"", new[] { "-e", "A=x\"y" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("''", new[] { "" })]
    [InlineData("'it'\"'\"'s'", new[] { "it's" })]
    public void TrySplit_SplitsLikeAShell(string text, string[] expected)
    {
        Assert.True(ShellWords.TrySplit(text, out var words, out _));
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("-b 'open", "unclosed ' quote")]
    [InlineData("-e \"open", "unclosed \" quote")]
    public void TrySplit_UnclosedQuote_Fails(string text, string expected)
    {
        Assert.False(ShellWords.TrySplit(text, out _, out var error));
        Assert.Equal(expected, error);
    }
}
