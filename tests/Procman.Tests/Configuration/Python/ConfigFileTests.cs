using Procman.Configuration.Python;

namespace Procman.Tests.Configuration.Python;

/// <summary>Realistic gunicorn.conf.py files, read from the test output directory.</summary>
public sealed class ConfigFileTests
{
    [Fact]
    public void EnvironmentDrivenWithDefaults()
    {
        var names = Evaluation.Names(Load("env_driven.py", new FakeEnvironment()));

        Assert.Equal("0.0.0.0:8000", names["bind"]);
        Assert.Equal(9L, names["workers"]);
        Assert.Equal(30L, names["timeout"]);
        Assert.Equal(30L, names["graceful_timeout"]);
        Assert.Equal(2L, names["keepalive"]);
        Assert.Equal("info", names["loglevel"]);
        Assert.Equal("-", names["accesslog"]);
        Assert.Equal(["127.0.0.1"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(names["forwarded_allow_ips"]));
        Assert.Equal(50L, names["max_requests_jitter"]);
    }

    [Fact]
    public void EnvironmentDrivenWithOverrides()
    {
        var environment = new FakeEnvironment(("BIND", "unix:/tmp/app.sock"), ("WEB_CONCURRENCY", "3"), ("LOG_LEVEL", "DEBUG"),
            ("ACCESS_LOG", "false"), ("FORWARDED_ALLOW_IPS", "10.0.0.1,10.0.0.2"));

        var names = Evaluation.Names(Load("env_driven.py", environment));

        Assert.Equal("unix:/tmp/app.sock", names["bind"]);
        Assert.Equal(3L, names["workers"]);
        Assert.Equal("debug", names["loglevel"]);
        Assert.Null(names["accesslog"]);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(names["forwarded_allow_ips"]));
    }

    [Theory]
    [InlineData("production", 8L, "warning", false, "unix:/run/app.sock")]
    [InlineData("staging", 2L, "info", false, "0.0.0.0:8000")]
    [InlineData("development", 1L, "debug", true, "127.0.0.1:8000")]
    public void ConditionalOnEnvironment(string env, long workers, string loglevel, bool reload, string bind)
    {
        var names = Evaluation.Names(Load("conditional.py", new FakeEnvironment(("ENV", env))));

        Assert.Equal(workers, names["workers"]);
        Assert.Equal(loglevel, names["loglevel"]);
        Assert.Equal(reload, names["reload"]);
        Assert.Equal([bind], Assert.IsAssignableFrom<IReadOnlyList<object?>>(names["bind"]));
    }

    [Fact]
    public void ConditionalNestedBranchAppendsDebugBind()
    {
        var names = Evaluation.Names(Load("conditional.py", new FakeEnvironment(("DEBUG_PORT", "5678"))));

        Assert.Equal(["127.0.0.1:8000", "127.0.0.1:5678"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(names["bind"]));
    }

    [Fact]
    public void HelperNamesAndFStrings()
    {
        var module = Load("helpers.py", new FakeEnvironment(("PORT", "5000")));
        var names = Evaluation.Names(module);

        Assert.Equal(["CORES", "PORT", "HOST", "workers", "threads", "bind", "proc_name", "umask", "limit_request_line", "raw_env"],
            module.Assignments.Select(assignment => assignment.Name));
        Assert.Equal(9L, names["workers"]);
        Assert.Equal(2L, names["threads"]);
        Assert.Equal("0.0.0.0:5000", names["bind"]);
        Assert.Equal("app-8w", names["proc_name"]);
        Assert.Equal(18L, names["umask"]);
        Assert.Equal(8190L, names["limit_request_line"]);
        Assert.Equal(["DJANGO_SETTINGS_MODULE=app.settings", "PORT=5000"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(names["raw_env"]));
    }

    [Fact]
    public void HooksAreRecordedAndSkipped()
    {
        var module = Load("hooks.py", new FakeEnvironment());

        Assert.Equal(
            [new ConfigHook("on_starting", 7, 1), new ConfigHook("post_fork", 12, 1), new ConfigHook("worker_int", 24, 1), new ConfigHook("when_ready", 30, 1)],
            module.Hooks);
        Assert.Equal(["bind", "workers", "timeout"], module.Assignments.Select(assignment => assignment.Name));
        Assert.Equal(new ConfigAssignment("timeout", 120L, 32, 1), module.Assignments[^1]);
    }

    [Fact]
    public void WsgiOnlySettings()
    {
        var names = Evaluation.Names(Load("wsgi_settings.py", new FakeEnvironment()));

        Assert.Equal("uvicorn.workers.UvicornWorker", names["worker_class"]);
        Assert.Equal(4L, names["threads"]);
        Assert.Equal(true, names["preload_app"]);
        Assert.Null(names["sendfile"]);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<object?>>(names["raw_paste_global_conf"]));
        Assert.Equal("https", Assert.IsAssignableFrom<IReadOnlyDictionary<object, object?>>(names["secure_scheme_headers"])["X-FORWARDED-PROTO"]);
    }

    [Theory]
    [InlineData("error_loop.py", 5, 1, "the config file runs too long (more than 1,000,000 loop iterations and calls)")]
    [InlineData("error_bad_indent.py", 5, 3, "unindent does not match any outer indentation level; `loglevel = \"warning\"`")]
    [InlineData("error_missing_env.py", 3, 19, "environment variable 'PORT' is not set; `os.environ['PORT']`")]
    public void BrokenFilesPointAtTheProblem(string file, int line, int column, string message)
    {
        var error = Assert.Throws<ConfigSyntaxException>(() => Load(file, new FakeEnvironment()));

        Assert.Equal((file, line, column), (error.FileName, error.Line, error.Column));
        Assert.StartsWith($"{file}:{line}:{column}: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void SettingFromAnUnknownModule_IsMarkedInert()
    {
        var module = Load("error_unknown_module.py", new FakeEnvironment());

        Assert.Equal("myapp.settings.GUNICORN_WORKERS", module.Assignments.Single(assignment => assignment.Name == "workers").Inert);
    }

    private static ConfigModule Load(string file, FakeEnvironment environment)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Configuration", "Python", "Configs", file);
        return new PythonConfigEvaluator(environment, Evaluation.CpuCount).Evaluate(File.ReadAllText(path), file);
    }
}
