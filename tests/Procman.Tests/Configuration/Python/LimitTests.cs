namespace Procman.Tests.Configuration.Python;

/// <summary>
/// Files that would overflow the stack, exhaust memory or spin (a typo, or a hostile edit before a SIGHUP):
/// each is one positioned error, and the process survives to report it.
/// </summary>
public sealed class LimitTests
{
    private const int Hostile = 15_000;

    public static TheoryData<string, string> DeepNesting => new()
    {
        { "x = " + new string('(', Hostile) + "1" + new string(')', Hostile) + "\n", "too many nested brackets (the limit is 100)" },
        { "x = " + string.Concat(Enumerable.Repeat("int(", Hostile)) + "1" + new string(')', Hostile) + "\n", "too many nested brackets" },
        { "x = " + new string('[', Hostile) + new string(']', Hostile) + "\n", "too many nested brackets" },
        { "x = " + string.Join(" ** ", Enumerable.Repeat("2", Hostile)) + "\n", "nested too deeply" },
        { "x = " + string.Concat(Enumerable.Repeat("1 if True else ", Hostile)) + "1\n", "nested too deeply" },
        { "x = " + string.Concat(Enumerable.Repeat("-", Hostile)) + "1\n", "nested too deeply" },
        { "x = " + string.Concat(Enumerable.Repeat("not ", Hostile)) + "1\n", "nested too deeply" },
        { "x = " + string.Join(" + ", Enumerable.Repeat("1", Hostile)) + "\n", "the expression is nested too deeply (the limit is 200 levels)" },
        { "x = f'" + string.Concat(Enumerable.Repeat("{-", 200)) + "1" + new string('}', 200) + "'\n", "nested" },
        { string.Concat(Enumerable.Range(0, 150).Select(i => new string(' ', i) + "if True:\n")) + new string(' ', 150) + "x = 1\n", "too many levels of indentation" },
    };

    [Theory]
    [MemberData(nameof(DeepNesting))]
    public void DeepNesting_IsAPositionedError_NotAStackOverflow(string source, string problem)
    {
        var error = Evaluation.Error(source);

        Assert.Contains(problem, error.Message);
        Assert.Matches(@"^gunicorn\.conf\.py:\d+:\d+: ", error.Message);
    }

    [Theory]
    [InlineData("x = [0] * 100000\ny = x * 100000\n", 2, "the collection would hold 10,000,000,000 items; collections are limited to 100,000")]
    [InlineData("x = 'a' * 100000\ny = x * 100000\n", 2, "the string would be 10,000,000,000 characters long; strings are limited to 1,000,000")]
    [InlineData("x = 'ab' * 10 ** 10\n", 1, "the string would be 20,000,000,000 characters long")]
    [InlineData("x = 'a' * 1000000\ny = x + x\n", 2, "strings are limited to 1,000,000")]
    [InlineData("x = ('a' * 1000).replace('a', 'b' * 10000)\n", 1, "longer than 1,000,000 characters")]
    [InlineData("x = list(range(10 ** 9))\n", 1, "the collection would hold 1,000,000,000 items")]
    [InlineData("x = [i for i in range(10 ** 9)]\n", 1, "collections are limited to 100,000")]
    [InlineData("x = []\nfor i in range(200000):\n    x.append(i)\n", 3, "collections are limited to 100,000")]
    [InlineData("s = ''\nfor i in range(100000):\n    s = s + 'x' * 900\n", 3, "builds too much data")]
    [InlineData("while True:\n    pass\n", 1, "runs too long (more than 1,000,000 loop iterations and calls)")]
    [InlineData("def f(n):\n    return f(n + 1)\nx = f(0)\n", 2, "nested too deeply")]
    [InlineData("x = []\nx.append(x)\ny = str(x)\n", 1, "nested too deeply (or contains itself)")]
    [InlineData("x = []\nfor i in range(1000):\n    x = [x]\n", 3, "nested too deeply (or contains itself)")]
    public void HugeOrEndlessWork_IsAPositionedError(string source, int line, string problem)
    {
        var error = Evaluation.Error(source);

        Assert.Contains(problem, error.Message);
        Assert.Equal(line, error.Line);
        Assert.Null(error.PythonType);
    }

    [Fact]
    public void LimitErrors_AreNotCaughtByTheFilesOwnTry()
    {
        var error = Evaluation.Error("try:\n    x = 'ab' * 10 ** 10\nexcept Exception:\n    x = 1\n");

        Assert.Contains("strings are limited", error.Message);
    }

    [Fact]
    public void NonUtf8File_IsAnErrorNamingTheFileLineAndOffset()
    {
        byte[] bytes = [.. "workers = 2\nproc_name = '"u8, 0xE9, .. "t\u00e9'\n"u8];

        var error = Assert.Throws<Procman.Configuration.Python.ConfigSyntaxException>(() => Procman.Configuration.Python.PythonConfigEvaluator.Decode(bytes, "gunicorn.conf.py"));

        Assert.Equal("gunicorn.conf.py:2:14: the file is not valid UTF-8 (byte 0xE9 at offset 25); save the file as UTF-8", error.Message);
    }
}
