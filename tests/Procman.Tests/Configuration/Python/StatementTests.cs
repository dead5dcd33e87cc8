using Procman.Configuration.Python;

namespace Procman.Tests.Configuration.Python;

public sealed class StatementTests
{
    [Theory]
    [InlineData("x = 1\nx += 2\n", "x", 3L)]
    [InlineData("x = 5\nx -= 2\n", "x", 3L)]
    [InlineData("x = 'ab'\nx *= 2\n", "x", "abab")]
    [InlineData("a = b = 7\n", "b", 7L)]
    [InlineData("a, b = 1, 2\n", "b", 2L)]
    [InlineData("(a, b) = [3, 4]\n", "a", 3L)]
    [InlineData("x = 1; y = 2\n", "y", 2L)]
    [InlineData("pass\nx = 1\n", "x", 1L)]
    [InlineData("\"\"\"Module docstring.\"\"\"\nx = 1\n", "x", 1L)]
    [InlineData("# comment only\n\n   \nx = 1  # trailing\n", "x", 1L)]
    [InlineData("import os as o\nx = o.getenv('ENV')\n", "x", "production")]
    [InlineData("import os.path\nx = os.path.basename('/a/b')\n", "x", "b")]
    [InlineData("from os import environ, getenv as ge\nx = environ.get('ENV') + ge('PORT')\n", "x", "production9000")]
    [InlineData("from multiprocessing import cpu_count\nx = cpu_count()\n", "x", 4L)]
    [InlineData("from os.path import (join,\n    dirname)\nx = join(dirname('/a/b'), 'c')\n", "x", "/a/c")]
    [InlineData("if True:\n    x = 1\nelse:\n    x = 2\n", "x", 1L)]
    [InlineData("if False:\n    x = 1\nelif 1 == 1:\n    x = 2\nelse:\n    x = 3\n", "x", 2L)]
    [InlineData("if False:\n    x = 1\nelif False:\n    x = 2\nelse:\n    x = 3\n", "x", 3L)]
    [InlineData("if True: x = 4\n", "x", 4L)]
    [InlineData("x = 0\nif x:\n    x = 1 / 0\n", "x", 0L)]
    [InlineData("if True:\n    if False:\n        x = 1\n    else:\n        x = 5\n", "x", 5L)]
    [InlineData("if True:\n\tx = 6\n", "x", 6L)]
    [InlineData("x = 1\r\nif x:\r\n    x = 8\r\n", "x", 8L)]
    [InlineData("x = 1", "x", 1L)]
    public void Statements(string source, string name, object expected) =>
        Assert.Equal(expected, Evaluation.Names(Evaluation.Run(source))[name]);

    [Fact]
    public void AssignmentsKeepFirstOrderAndLastPosition()
    {
        var module = Evaluation.Run("b = 1\na = 2\nb = 3\n");

        Assert.Equal(["b", "a"], module.Assignments.Select(assignment => assignment.Name));
        Assert.Equal(new ConfigAssignment("b", 3L, 3, 1), module.Assignments[0]);
    }

    [Fact]
    public void ImportsAndUntakenBranchesAreNotAssignments()
    {
        var module = Evaluation.Run("import os\nif False:\n    hidden = 1\nshown = 2\n");

        Assert.Equal(["shown"], module.Assignments.Select(assignment => assignment.Name));
    }

    [Fact]
    public void HookBodiesAreSkipped()
    {
        var module = Evaluation.Run("""
            def on_starting(server):
                '''Docstring with "quotes".'''
                for i in range(3):
                    while True:
                        try:
                            server.log.info(f"{i:>3}", b'bytes', 1j)
                        except Exception:
                            pass
                return lambda: [x for x in y]

            def when_ready(server): server.log.info("ready")
            workers = 2
            """);

        Assert.Equal(["on_starting", "when_ready"], module.Hooks.Select(hook => hook.Name));
        Assert.Equal(new ConfigHook("on_starting", 1, 1), module.Hooks[0]);
        Assert.Equal(2L, Evaluation.Names(module)["workers"]);
    }
}
