namespace Procman.Tests.Configuration.Python;

/// <summary>Every kind of rejected construct: the message must carry file:line:col and the offending text.</summary>
public sealed class ErrorTests
{
    [Theory]
    [InlineData("class Config:\n    pass\n", 1, 1, "`class Config:`", "`class` definitions")]
    [InlineData("with open('f') as f:\n    pass\n", 1, 1, "`with open('f') as f:`", "`with` statements")]
    [InlineData("from os import *\n", 1, 16, "`*`", "`from ... import *`")]
    [InlineData("x = undefined_name\n", 1, 5, "`undefined_name`", "name `undefined_name` is not defined")]
    [InlineData("x = server.port\n", 1, 5, "`server`", "not defined")]
    [InlineData("x = 1\nx.y = 2\n", 2, 1, "`x.y`", "attributes cannot be assigned")]
    [InlineData("f() = 1\n", 1, 1, "`f()`", "cannot assign to this expression")]
    [InlineData("x = 1\nx @= 2\n", 2, 3, "`@=`", "augmented assignment `@=`")]
    [InlineData("x = 1 @ 2\n", 1, 7, "`@`", "matrix multiplication")]
    [InlineData("x = 1j\n", 1, 5, "`1j`", "complex numbers")]
    [InlineData("x = b'raw'\n", 1, 5, "`b'raw'`", "bytes literals")]
    [InlineData("x = 0777\n", 1, 5, "`0777`", "leading zeros")]
    [InlineData("x = 'open\n", 1, 5, "`'open`", "unterminated string")]
    [InlineData("x = (1,\n", 1, 5, "`(`", "never closed")]
    [InlineData("x = 1)\n", 1, 6, "`)`", "unmatched")]
    [InlineData("x = 1 $ 2\n", 1, 7, "`$`", "unexpected character")]
    [InlineData("x = 1\n    y = 2\n", 2, 5, "`y = 2`", "unexpected indent")]
    [InlineData("if True:\n        x = 1\n    y = 2\n", 3, 5, "`y = 2`", "unindent does not match")]
    [InlineData("if True:\n    x = 1\n\ty = 2\n", 3, 2, "`y = 2`", "inconsistent use of tabs and spaces")]
    [InlineData("if True:\nx = 1\n", 2, 1, "`x`", "expected an indented block")]
    [InlineData("else:\n    x = 1\n", 1, 1, "`else:`", "`else` without a matching `if`")]
    [InlineData("@decorator\ndef f():\n    pass\n", 1, 1, "`@decorator`", "decorators")]
    [InlineData("def f():\n    with a:\n        pass\nx = f()\n", 4, 5, "`f()`", "`f` cannot be called: its body uses Python that procman does not evaluate")]
    [InlineData("x = f'{1:>5}'\n", 1, 9, "`:>5`", "format specs")]
    [InlineData("x = f'{y=}'\n", 1, 9, "`=`", "`=` specifier")]
    [InlineData("x = '%q' % 1\n", 1, 5, "`'%q' % 1`", "%q is not a supported conversion")]
    [InlineData("x = '%s %s' % (1,)\n", 1, 5, "`'%s %s' % (1,)`", "not enough arguments for format string")]
    [InlineData("x = 1 / 0\n", 1, 5, "`1 / 0`", "ZeroDivisionError")]
    [InlineData("x = 'a' + 1\n", 1, 5, "`'a' + 1`", "unsupported operand type(s) for +: 'str' and 'int'")]
    [InlineData("x = int('abc')\n", 1, 5, "`int('abc')`", "invalid literal for int() with base 10: 'abc'")]
    [InlineData("import os\nx = int(os.getenv('MISSING'))\n", 2, 5, "`int(os.getenv('MISSING'))`", "give it a default")]
    [InlineData("x = float('x')\n", 1, 5, "`float('x')`", "could not convert string to float")]
    [InlineData("import os\nx = os.environ['MISSING']\n", 2, 5, "`os.environ['MISSING']`", "environment variable 'MISSING' is not set; `os.environ['MISSING']`; use os.environ.get('MISSING', default)")]
    [InlineData("x = {'a': 1}['b']\n", 1, 5, "`{'a': 1}['b']`", "KeyError: 'b'")]
    [InlineData("x = [1][5]\n", 1, 5, "`[1][5]`", "IndexError")]
    [InlineData("x = len(1)\n", 1, 5, "`len(1)`", "has no len()")]
    [InlineData("x = max()\n", 1, 5, "`max()`", "expected at least 1 argument")]
    [InlineData("x = int(1, 2, 3)\n", 1, 5, "`int(1, 2, 3)`", "(3 given)")]
    [InlineData("x = len(obj=1)\n", 1, 9, "`obj`", "keyword arguments are not supported")]
    [InlineData("x = 'a'.zfill(3)\n", 1, 5, "`'a'.zfill`", "has no attribute `zfill`")]
    [InlineData("x = 1 is 1\n", 1, 5, "`1 is 1`", "`is` is only supported with None")]
    [InlineData("a, b = 1, 2, 3\n", 1, 1, "`a, b`", "too many values to unpack (expected 2)")]
    [InlineData("x = 2 ** 64\n", 1, 5, "`2 ** 64`", "OverflowError")]
    [InlineData("x = 1 << 64\n", 1, 5, "`1 << 64`", "OverflowError")]
    [InlineData("x = 99999999999999999999\n", 1, 5, "`99999999999999999999`", "64 bits")]
    [InlineData("x = (yield)\n", 1, 6, "`yield)`", "`yield` is not supported")]
    [InlineData("x = ...\n", 1, 5, "`...`", "Ellipsis")]
    [InlineData("x = 1 if True\n", 1, 14, "`end of line`", "expected `else`")]
    [InlineData("x = (y := 1)\n", 1, 8, "`:= 1)`", "assignment expressions")]
    [InlineData("assert 1 == 2, 'one is not two'\n", 1, 1, "`assert 1 == 2, 'one is not two'`", "AssertionError: one is not two")]
    [InlineData("raise ValueError('no')\n", 1, 1, "`raise ValueError('no')`", "ValueError: no")]
    [InlineData("return 1\n", 1, 1, "`return 1`", "`return` outside a function")]
    [InlineData("x = f'{undefined}'\n", 1, 8, "`undefined`", "name `undefined` is not defined")]
    [InlineData("x = [1,\n     2 +]\n", 2, 9, "`]`", "expected an expression")]
    [InlineData("import logging\nif logging.DEBUG:\n    x = 1\n", 2, 4, "`logging.DEBUG`", "cannot decide on `logging.DEBUG`: module logging is not available")]
    [InlineData("import sys\nfor a in sys.argv:\n    pass\n", 2, 10, "`sys.argv`", "cannot loop over `sys.argv`")]
    public void UnsupportedOrFailingCode_IsReportedWithFileLineAndColumn(string source, int line, int column, string offending, string problem)
    {
        var error = Evaluation.Error(source);

        Assert.StartsWith($"gunicorn.conf.py:{line}:{column}: ", error.Message);
        Assert.Contains(offending, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal("gunicorn.conf.py", error.FileName);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void UnsupportedStatement_ListsWhatIsSupported()
    {
        var error = Evaluation.Error("class Config:\n    pass\n");

        Assert.Contains("supported statements: assignment", error.Message);
    }

    [Fact]
    public void UntakenBranch_ReportsOnlySyntaxErrors()
    {
        Assert.Empty(Evaluation.Run("if False:\n    x = undefined + 1 / 0\n").Assignments);
        Assert.Equal(3, Evaluation.Error("if False:\n    x = 1\n    class C:\n        pass\n").Line);
    }

    [Fact]
    public void FileWithSeveralErrors_ReportsEachOnItsOwnLine()
    {
        var error = Evaluation.Error("workers = int('four')\ntimeout = 1 / 0\nbind = f'{workers}:{port}'\nloglevel = undefined\n");

        Assert.Equal(
            [
                "gunicorn.conf.py:1:11: ValueError: invalid literal for int() with base 10: 'four'; `int('four')`",
                "gunicorn.conf.py:2:11: ZeroDivisionError: division by zero; `1 / 0`",
                "gunicorn.conf.py:4:12: NameError: name `undefined` is not defined",
            ],
            error.Errors.Select(each => each.Message.Split("; supported")[0].Split("; assign names")[0]));
        Assert.Equal(3, error.Message.Split('\n').Length);
    }

    [Fact]
    public void FileWithSeveralSyntaxErrors_ReportsEachOfThem()
    {
        var error = Evaluation.Error("workers = 1 +\nclass A:\n    pass\nbind = 'x'\nwith a:\n    pass\ntimeout = 1 +\n");

        Assert.Equal([1, 2, 5, 7], error.Errors.Select(each => each.Line));
    }

    [Fact]
    public void ModuleMemberNotSupported_IsNamedOnce()
    {
        var error = Evaluation.Error("import os\nx = os.path.frobnicate('a')\nif x:\n    pass\n");

        Assert.Equal("gunicorn.conf.py:3:4: cannot decide on `os.path.frobnicate`: procman gives config files no file, process or network access; `x`; "
            + "decide on environment variables or values computed in the file instead", error.Message);
    }
}
