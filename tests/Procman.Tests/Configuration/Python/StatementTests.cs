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
    [InlineData("x: int = 5\n", "x", 5L)]
    [InlineData("x = 0\nfor i in range(4):\n    x += i\n", "x", 6L)]
    [InlineData("x = 0\nfor i in range(10):\n    if i == 2:\n        continue\n    if i == 4:\n        break\n    x += i\n", "x", 4L)]
    [InlineData("x = 'none'\nfor i in []:\n    pass\nelse:\n    x = 'else'\n", "x", "else")]
    [InlineData("x = 0\nwhile x < 5:\n    x += 2\n", "x", 6L)]
    [InlineData("for a, b in [(1, 2), (3, 4)]:\n    x = a + b\n", "x", 7L)]
    [InlineData("d = {'a': 1}\nfor k, v in d.items():\n    x = k * v\n", "x", "a")]
    [InlineData("try:\n    x = int('nope')\nexcept ValueError:\n    x = 8\n", "x", 8L)]
    [InlineData("try:\n    x = {}['k']\nexcept (TypeError, LookupError) as e:\n    x = str(e)\n", "x", "'k'")]
    [InlineData("try:\n    x = 1\nexcept Exception:\n    x = 2\nelse:\n    x = 3\nfinally:\n    y = 4\n", "x", 3L)]
    [InlineData("try:\n    import ujson as json\nexcept ImportError:\n    import json\nx = 1\n", "x", 1L)]
    [InlineData("try:\n    raise ValueError('bad')\nexcept ValueError as e:\n    x = str(e)\n", "x", "bad")]
    [InlineData("try:\n    assert False, 'no'\nexcept AssertionError:\n    x = 'caught'\n", "x", "caught")]
    [InlineData("def double(n):\n    return n * 2\nx = double(21)\n", "x", 42L)]
    [InlineData("def f(a, b=10):\n    return a + b\nx = f(1, b=2)\n", "x", 3L)]
    [InlineData("def f():\n    y = 5\n    return y\ny = 1\nx = f() + y\n", "x", 6L)]
    [InlineData("n = 3\ndef f():\n    return n * 2\nx = f()\n", "x", 6L)]
    [InlineData("def f():\n    global g\n    g = 7\nf()\nx = g\n", "x", 7L)]
    [InlineData("def f():\n    pass\nx = f()\n", "x", null)]
    [InlineData("def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nx = fact(10)\n", "x", 3628800L)]
    [InlineData("f = lambda v: v + 1\nx = f(1)\n", "x", 2L)]
    [InlineData("x = []\nx.append(1)\nx.extend([2, 3])\nx.insert(0, 0)\n", "x", "[0, 1, 2, 3]")]
    [InlineData("d = {}\nd['k'] = 'v'\nd.update(z=1)\nx = d\n", "x", "{'k': 'v', 'z': 1}")]
    [InlineData("x = [1, 2]\ny = x\ny += [3]\n", "x", "[1, 2, 3]")]
    [InlineData("x = {1}\nx.add(2)\n", "x", "{1, 2}")]
    [InlineData("x = [1, 2, 3]\ndel x[0]\n", "x", "[2, 3]")]
    [InlineData("import os\nos.environ['ADDED'] = 'yes'\nx = os.environ['ADDED']\n", "x", "yes")]
    [InlineData("assert 1 == 1\nx = 1\n", "x", 1L)]
    [InlineData("from __future__ import annotations\nx = 1\n", "x", 1L)]
    [InlineData("x = __file__\n", "x", "gunicorn.conf.py")]
    [InlineData("import os\nx = os.path.basename(__file__)\n", "x", "gunicorn.conf.py")]
    [InlineData("x = __name__\n", "x", "__config__")]
    public void Statement_RunsAsCPythonDoes(string source, string name, object? expected) =>
        Assert.Equal(expected, Shown(Evaluation.Names(Evaluation.Run(source))[name], expected));

    [Fact]
    public void InertModules_UsedOnlyInHooks_AreHarmless()
    {
        var module = Evaluation.Run("import json, sys, logging, pathlib, platform, glob, requests\nworkers = 2\ndef on_starting(server):\n    logging.getLogger().info(json.dumps(sys.argv))\n");

        Assert.Empty(module.Warnings);
        Assert.Equal(2L, Evaluation.Names(module)["workers"]);
        Assert.Equal(["on_starting"], module.Hooks.Select(hook => hook.Name));
    }

    [Fact]
    public void InertModule_UsedAtTopLevel_IsAWarning()
    {
        var module = Evaluation.Run("import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\nlogger = sys.stderr\nworkers = 2\n");

        Assert.Equal(
            [
                "gunicorn.conf.py:2: `sys.path.insert` is not evaluated (module sys is not available to procman, which runs no Python); the statement has no effect",
                "gunicorn.conf.py:3: `sys.stderr` is not evaluated (module sys is not available to procman, which runs no Python); the statement has no effect",
            ],
            module.Warnings);
        Assert.Equal("sys.stderr", module.Assignments.Single(assignment => assignment.Name == "logger").Inert);
    }

    [Fact]
    public void Print_AtTopLevel_IsAWarningWithTheText()
    {
        var module = Evaluation.Run("workers = 3\nprint('starting', workers, 'workers')\n");

        Assert.Equal(["gunicorn.conf.py:2: print() is not shown when procman loads a config file; it would print 'starting 3 workers'"], module.Warnings);
    }

    [Fact]
    public void Hooks_HoweverWritten_AreRecordedAndHelpersThatAreCalledAreNot()
    {
        var module = Evaluation.Run("""
            def helper(n):
                return n + 1
            workers = helper(1)
            def on_exit(server):
                pass
            post_fork = lambda server, worker: None
            def _log(server):
                pass
            when_ready = _log
            """);

        Assert.Equal(["on_exit", "post_fork", "_log", "when_ready"], module.Hooks.Select(hook => hook.Name));
        Assert.Equal(["workers"], module.Assignments.Select(assignment => assignment.Name));
    }

    [Fact]
    public void EnvironmentChanges_StayInsideTheEvaluation()
    {
        var environment = new FakeEnvironment(("KEEP", "1"));

        Evaluation.Run("import os\nos.environ['KEEP'] = '2'\nos.environ.setdefault('NEW', '3')\n", environment);

        Assert.Equal("1", environment.Get("KEEP"));
        Assert.Null(environment.Get("NEW"));
    }

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

    private static object? Shown(object? value, object? expected) =>
        expected is string && value is not string ? PythonValues.Repr(value) : value;

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
