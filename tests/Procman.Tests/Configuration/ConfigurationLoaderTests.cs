using Procman.Cli;
using Procman.Configuration;

namespace Procman.Tests.Configuration;

// Reads or changes the process-wide current directory: never in parallel with each other.
[Collection("Current directory")]
public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("procman-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NoSources_GivesTheDefaults()
    {
        var loaded = Load(new FakeEnvironment(), []);

        Assert.Equal(1, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal(["127.0.0.1:8000"], loaded.Values.Get<IReadOnlyList<string>>(Settings.Bind));
        Assert.Null(loaded.ConfigFile);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void EnvironmentDefaults_ComeFromWebConcurrencyAndPort()
    {
        var loaded = Load(new FakeEnvironment(("WEB_CONCURRENCY", "5"), ("PORT", "9000")), []);

        Assert.Equal(5, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal(["0.0.0.0:9000"], loaded.Values.Get<IReadOnlyList<string>>(Settings.Bind));
    }

    [Fact]
    public void Precedence_IsDefaultsThenFileThenEnvironmentArgumentsThenCommandLine()
    {
        var config = Write("workers = 2\nbacklog = 100\ntimeout = 7\nkeepalive = 9\n");
        var environment = new FakeEnvironment(("PROCMAN_CMD_ARGS", "--backlog 200 --timeout 8"));

        var loaded = Load(environment, ["-c", config, "--timeout", "9"]);

        Assert.Equal(2, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal(200, loaded.Values.Get<int>(Settings.Backlog));
        Assert.Equal(9.0, loaded.Values.Get<double>(Settings.Timeout));
        Assert.Equal(9.0, loaded.Values.Get<double>(Settings.KeepAlive));
        Assert.Equal("config file", loaded.Values.SourceOf(Settings.Workers));
        Assert.Equal(ConfigurationLoader.CommandArgumentsVariable, loaded.Values.SourceOf(Settings.Backlog));
        Assert.Equal("command line", loaded.Values.SourceOf(Settings.Timeout));
    }

    [Fact]
    public void EnvironmentArguments_MayNameTheConfigFile_ButTheCommandLineWins()
    {
        var fromEnvironment = Write("workers = 3\n", "env.conf.py");
        var fromCommandLine = Write("workers = 4\n", "cli.conf.py");
        var environment = new FakeEnvironment(("PROCMAN_CMD_ARGS", $"-c '{fromEnvironment}'"));

        Assert.Equal(3, Load(environment, []).Values.Get<int>(Settings.Workers));
        Assert.Equal(4, Load(environment, ["--config", fromCommandLine]).Values.Get<int>(Settings.Workers));
    }

    [Fact]
    public void DefaultConfigFile_IsReadFromTheCurrentDirectoryWhenItExists()
    {
        var previous = Environment.CurrentDirectory;
        Write("workers = 6\n", "procman.conf.py");
        try
        {
            Environment.CurrentDirectory = _directory;
            var loaded = Load(new FakeEnvironment(), []);

            Assert.Equal(6, loaded.Values.Get<int>(Settings.Workers));
            Assert.Equal(Path.Combine(_directory, "procman.conf.py"), loaded.ConfigFile);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Fact]
    public void RepeatedListFlags_FormTheList_AndReplaceTheFilesList()
    {
        var config = Write("bind = ['0.0.0.0:1', '0.0.0.0:2']\nraw_env = ['A=1']\n");

        var loaded = Load(new FakeEnvironment(), ["-c", config, "-b", "127.0.0.1:3", "-b", "unix:/tmp/a.sock"]);

        Assert.Equal(["127.0.0.1:3", "unix:/tmp/a.sock"], loaded.Values.Get<IReadOnlyList<string>>(Settings.Bind));
        Assert.Equal(["A=1"], loaded.Values.Get<IReadOnlyList<string>>(Settings.RawEnv));
    }

    [Fact]
    public void ConfigFile_WithHooksPythonOnlySettingsAndTypos_LoadsWithOneWarningEach()
    {
        var config = Write("""
            import multiprocessing
            CORES = multiprocessing.cpu_count()
            wokers = 3
            worker_class = "uvicorn.workers.UvicornWorker"
            preload_app = True
            my_helper = 1
            def post_fork(server, worker):
                pass
            """);

        var loaded = Load(new FakeEnvironment(), ["-c", config]);

        Assert.Collection(
            loaded.Warnings,
            warning => Assert.Equal($"{config}:7: hook post_fork() is ignored: put per-worker start-up and shutdown code in the app (an IHostedService, or IHostApplicationLifetime events)", warning),
            warning => Assert.Equal($"{config}:3: wokers is not a setting; did you mean workers?", warning),
            warning => Assert.Equal($"{config}:4: worker_class is ignored: a .NET worker is always a Kestrel server", warning),
            warning => Assert.Equal($"{config}:5: preload_app is ignored: a .NET app cannot be loaded before fork", warning));
        Assert.Equal(1, loaded.Values.Get<int>(Settings.Workers));
    }

    [Theory]
    [InlineData("workers = \"many\"\n", ":1: invalid workers: expected an integer, got str 'many'")]
    [InlineData("workers = -1\n", ":1: invalid workers: workers must be between 1 and 1024, not -1")]
    [InlineData("\nbind = 8000\n", ":2: invalid bind: expected a string or a list of strings, got int 8000")]
    [InlineData("bind = 'localhost:http'\n", ":1: invalid bind: bind address 'localhost:http' has an invalid port 'http'")]
    [InlineData("graceful_timeout = 0\n", ":1: invalid graceful_timeout: graceful_timeout must be greater than 0 seconds")]
    [InlineData("reload = 'yes'\n", ":1: invalid reload: expected True or False, got str 'yes'")]
    [InlineData("loglevel = 'loud'\n", ":1: invalid loglevel: loglevel must be one of debug, info, warning, error, critical, not 'loud'")]
    [InlineData("secure_scheme_headers = {'X-Proto': 1}\n", ":1: invalid secure_scheme_headers: expected a dict of strings")]
    [InlineData("forwarded_allow_ips = 'proxy.local'\n", ":1: invalid forwarded_allow_ips: forwarded_allow_ips has 'proxy.local', which is not an IP address or network")]
    [InlineData("user = 'www-data'\n", ":1: invalid user: user switching is not supported yet")]
    public void ConfigFile_WithAWrongValue_FailsNamingFileLineSettingAndExpectedType(string source, string expected)
    {
        var config = Write(source);

        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment(), ["-c", config]));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.StartsWith(config + expected, error.Message);
    }

    [Fact]
    public void ConfigFile_WithUnsupportedPython_FailsWithPosition()
    {
        var config = Write("workers = 2\nwith open('x') as f:\n    pass\n");

        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment(), ["-c", config]));

        Assert.StartsWith($"{config}:2:1: ", error.Message);
    }

    [Fact]
    public void MissingNamedConfigFile_Fails()
    {
        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment(), ["-c", Path.Combine(_directory, "nope.py")]));

        Assert.Contains("nope.py' does not exist", error.Message);
    }

    [Theory]
    [InlineData("-w many", "PROCMAN_CMD_ARGS: invalid --workers 'many': 'many' is not a whole number")]
    [InlineData("-w 'unclosed", "PROCMAN_CMD_ARGS: unclosed ' quote")]
    [InlineData("--frobnicate", "PROCMAN_CMD_ARGS: unrecognized argument '--frobnicate'")]
    [InlineData("--print-config", "PROCMAN_CMD_ARGS: --print-config and --check-config belong on the command line")]
    public void BadEnvironmentArguments_FailNamingTheVariable(string arguments, string expected)
    {
        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment(("PROCMAN_CMD_ARGS", arguments)), []));

        Assert.StartsWith(expected, error.Message);
    }

    private LoadedSettings Load(FakeEnvironment environment, string[] commandLine)
        => new ConfigurationLoader(environment, RunCommand.ParseSettingArguments).Load(RunCommand.ParseSettingArguments(commandLine));

    private string Write(string source, string name = "gunicorn.conf.py")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, source);
        return path;
    }
}
