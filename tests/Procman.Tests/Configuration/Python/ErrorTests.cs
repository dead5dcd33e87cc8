
namespace Procman.Tests.Configuration.Python;

/// <summary>Every kind of rejected construct: the message must carry file:line:col and the offending text.</summary>
public sealed class ErrorTests
{
    [Theory]
    [InlineData("x = 1\nwhile True:\n    pass\n", 2, 1, "`while True:`", "`while` loops are not supported")]
    [InlineData("for w in range(3):\n    pass\n", 1, 1, "`for w in range(3):`", "`for` loops")]
    [InlineData("class Config:\n    pass\n", 1, 1, "`class Config:`", "`class` definitions")]
    [InlineData("try:\n    x = 1\nexcept Exception:\n    pass\n", 1, 1, "`try:`", "`try` statements")]
    [InlineData("with open('f') as f:\n    pass\n", 1, 1, "`with open('f') as f:`", "`with` statements")]
    [InlineData("x = lambda: 1\n", 1, 5, "`lambda: 1`", "`lambda` expressions")]
    [InlineData("import sys\n", 1, 8, "`sys`", "module `sys` is not supported")]
    [InlineData("from subprocess import run\n", 1, 6, "`subprocess`", "supported modules: os, os.path, multiprocessing")]
    [InlineData("from os import system\n", 1, 16, "`system`", "`os.system` is not supported")]
    [InlineData("from os import *\n", 1, 16, "`*`", "`from ... import *`")]
    [InlineData("import os\nx = os.system('ls')\n", 2, 5, "`os.system`", "`os.system` is not supported")]
    [InlineData("x = undefined_name\n", 1, 5, "`undefined_name`", "name `undefined_name` is not defined")]
    [InlineData("x = server.port\n", 1, 5, "`server`", "not defined")]
    [InlineData("x = print('hi')\n", 1, 5, "`print`", "not defined")]
    [InlineData("x = [i for i in y]\n", 1, 8, "`for i in y]`", "comprehensions")]
    [InlineData("x = {1, 2}\n", 1, 5, "`{1, 2}`", "set literals")]
    [InlineData("print('hi')\n", 1, 1, "`print('hi')`", "expression statements are not supported")]
    [InlineData("x.y = 1\n", 1, 1, "`x.y = 1`", "only plain names can be assigned")]
    [InlineData("x: int = 1\n", 1, 1, "`x: int = 1`", "annotated assignments")]
    [InlineData("x = 1\nx |= 2\n", 2, 3, "`|=`", "augmented assignment `|=`")]
    [InlineData("x = 1 | 2\n", 1, 7, "`| 2`", "bitwise operator `|`")]
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
    [InlineData("def f():\n    pass\nx = f()\n", 3, 5, "`f`", "hooks are not executed")]
    [InlineData("x = f'{1:>5}'\n", 1, 9, "`:>5`", "format specs")]
    [InlineData("x = f'{y=}'\n", 1, 9, "`=`", "`=` specifier")]
    [InlineData("x = 'a' % 1\n", 1, 5, "`'a' % 1`", "%-formatting")]
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
    [InlineData("x = int(1, 2, 3)\n", 1, 5, "`int(1, 2, 3)`", "takes 1 to 2 arguments (3 given)")]
    [InlineData("import os\nx = os.getenv(key='A')\n", 2, 15, "`key`", "keyword arguments are not supported")]
    [InlineData("x = 'a'.title()\n", 1, 5, "`'a'.title`", "str method `title`")]
    [InlineData("x = 1 is 1\n", 1, 5, "`1 is 1`", "`is` is only supported with None")]
    [InlineData("a, b = 1, 2, 3\n", 1, 8, "`1, 2, 3`", "cannot unpack 3 values into 2 names")]
    [InlineData("import os\nx = os\n", 2, 5, "`os`", "only data values can be assigned")]
    [InlineData("x = 2 ** 64\n", 1, 5, "`2 ** 64`", "OverflowError")]
    [InlineData("x = 99999999999999999999\n", 1, 5, "`99999999999999999999`", "64 bits")]
    [InlineData("x = (yield)\n", 1, 6, "`yield)`", "`yield` is not supported")]
    [InlineData("x = ...\n", 1, 5, "`...`", "Ellipsis")]
    [InlineData("x = 1 if True\n", 1, 14, "`end of line`", "expected `else`")]
    [InlineData("x = (y := 1)\n", 1, 8, "`:= 1)`", "assignment expressions")]
    [InlineData("x = 1\ndel x\n", 2, 1, "`del x`", "`del` is not supported")]
    [InlineData("assert True\n", 1, 1, "`assert True`", "`assert` is not supported")]
    [InlineData("x = f'{undefined}'\n", 1, 8, "`undefined`", "name `undefined` is not defined")]
    [InlineData("x = [1,\n     2 +]\n", 2, 9, "`]`", "expected an expression")]
    public void RejectsWithPosition(string source, int line, int column, string offending, string problem)
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
    public void UnsupportedStatementsListWhatIsSupported()
    {
        var error = Evaluation.Error("while True:\n    pass\n");

        Assert.Contains("supported statements: assignment", error.Message);
    }

    [Fact]
    public void ErrorsInUntakenBranchesAreOnlySyntaxErrors()
    {
        Assert.Empty(Evaluation.Run("if False:\n    x = undefined + 1 / 0\n").Assignments);
        Assert.Equal(3, Evaluation.Error("if False:\n    x = 1\n    for y in z:\n        pass\n").Line);
    }
}
