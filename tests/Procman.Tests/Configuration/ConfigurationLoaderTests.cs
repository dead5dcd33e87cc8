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
    public void ForwardedAllowIps_ComesFromItsVariable()
    {
        var loaded = Load(new FakeEnvironment(("FORWARDED_ALLOW_IPS", "10.0.0.0/8")), []);

        Assert.Equal("10.0.0.0/8", loaded.Values.Get<string>(Settings.ForwardedAllowIps));
        Assert.Equal("$FORWARDED_ALLOW_IPS", loaded.Values.SourceOf(Settings.ForwardedAllowIps));
    }

    [Fact]
    public void EmptyVariables_CountAsUnset()
    {
        var loaded = Load(new FakeEnvironment(("WEB_CONCURRENCY", ""), ("PORT", ""), ("FORWARDED_ALLOW_IPS", "")), []);

        Assert.Equal(1, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal(["127.0.0.1:8000"], loaded.Values.Get<IReadOnlyList<string>>(Settings.Bind));
    }

    [Theory]
    [InlineData("WEB_CONCURRENCY", "5000", "invalid $WEB_CONCURRENCY '5000': workers must be between 1 and 1024, not 5000; correct or unset it")]
    [InlineData("WEB_CONCURRENCY", "abc", "invalid $WEB_CONCURRENCY 'abc': 'abc' is not a whole number; correct or unset it")]
    [InlineData("WEB_CONCURRENCY", "0", "invalid $WEB_CONCURRENCY '0': workers must be between 1 and 1024, not 0; correct or unset it")]
    [InlineData("PORT", "abc", "invalid $PORT 'abc': bind address '0.0.0.0:abc' has an invalid port 'abc'; use a number from 0 to 65535; correct or unset it")]
    [InlineData("PORT", "99999", "invalid $PORT '99999': bind address '0.0.0.0:99999' has an invalid port '99999'; use a number from 0 to 65535; correct or unset it")]
    [InlineData("FORWARDED_ALLOW_IPS", "not an ip", "invalid $FORWARDED_ALLOW_IPS 'not an ip': forwarded_allow_ips has 'not an ip', which is not an IP address or network")]
    public void BadVariable_FailsLikeABadFlag_NamingTheVariable(string variable, string value, string expected)
    {
        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment((variable, value)), []));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void BadVariable_UnderASettingAnotherSourceGives_IsAWarning()
    {
        var config = Write("bind = '127.0.0.1:9000'\n");
        var environment = new FakeEnvironment(("WEB_CONCURRENCY", "abc"), ("PORT", "99999"), ("PROCMAN_CMD_ARGS", "--forwarded-allow-ips '*'"), ("FORWARDED_ALLOW_IPS", "nope"));

        var loaded = Load(environment, ["-c", config, "-w", "3"]);

        Assert.Equal(3, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal(
            [
                "$PORT is ignored: '99999': bind address '0.0.0.0:99999' has an invalid port '99999'; use a number from 0 to 65535; bind is set by the config file",
                "$WEB_CONCURRENCY is ignored: 'abc': 'abc' is not a whole number; workers is set by the command line",
                "$FORWARDED_ALLOW_IPS is ignored: 'nope': forwarded_allow_ips has 'nope', which is not an IP address or network; use addresses such as 10.0.0.1 or 10.0.0.0/8, or *; forwarded_allow_ips is set by PROCMAN_CMD_ARGS",
            ],
            loaded.Warnings);
    }

    [Fact]
    public void GunicornFlags_ProcmanDoesNotImplement_AreWarnedAbout_OnTheCommandLineAndInTheVariable()
    {
        var environment = new FakeEnvironment(("PROCMAN_CMD_ARGS", "-k uvicorn.workers.UvicornWorker --threads 4 --preload -w 2"));

        var loaded = Load(environment, ["-D", "--statsd-host", "localhost:8125", "--proxy-protocol", "--dirty-app", "a:b", "--dirty-app", "c:d"]);

        Assert.Equal(2, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal(
            [
                "PROCMAN_CMD_ARGS: --worker-class is ignored: a .NET worker is always a Kestrel server",
                "PROCMAN_CMD_ARGS: --threads is ignored: Kestrel sizes its own thread pool",
                "PROCMAN_CMD_ARGS: --preload is ignored: a .NET app cannot be loaded before fork",
                "--daemon is ignored: run procman under systemd or a container runtime instead of daemonizing",
                "--statsd-host is ignored: statsd metrics are not supported",
                "--proxy-protocol is ignored: the PROXY protocol is not supported; let the proxy send X-Forwarded-For (see forwarded_allow_ips)",
                "--dirty-app is ignored: procman has no dirty arbiters (a pool for long Python tasks)",
            ],
            loaded.Warnings);
    }

    [Fact]
    public void ConfigFile_WithGunicornSettingsProcmanDoesNotImplement_WarnsForEach()
    {
        var config = Write("""
            control_socket_mode = 0o600
            http2_max_concurrent_streams = 100
            dirty_workers = 2
            enable_backlog_metric = True
            on_starting = None
            """);

        var loaded = Load(new FakeEnvironment(), ["-c", config]);

        Assert.Equal(
            [
                $"{config}:1: control_socket_mode is ignored: procman's control socket is always mode 0600, and only root and procman's own user may use it",
                $"{config}:2: http2_max_concurrent_streams is ignored: not supported yet; Kestrel's HTTP/2 limits apply",
                $"{config}:3: dirty_workers is ignored: procman has no dirty arbiters (a pool for long Python tasks)",
                $"{config}:4: enable_backlog_metric is ignored: statsd metrics are not supported",
                $"{config}:5: hook on_starting is ignored: watch procman's log events instead (--log-format json gives stable event ids)",
            ],
            loaded.Warnings);
    }

    [Fact]
    public void ConfigFile_HelperFunctions_AreNotReportedAsHooks_ButAMisspeltHookIs()
    {
        var config = Write("""
            def helper():
                pass
            def post_frok(server, worker):
                pass
            """);

        var loaded = Load(new FakeEnvironment(), ["-c", config]);

        Assert.Equal([$"{config}:3: post_frok() is not a Gunicorn hook; did you mean post_fork?"], loaded.Warnings);
    }

    [Theory]
    [InlineData("max_worker_memory = 400 * 1024 * 1024\n", "419430400")]
    [InlineData("max_worker_memory = '512MB'\n", "512MB")]
    public void MaxWorkerMemory_AnIntIsBytes(string source, string expected)
    {
        var loaded = Load(new FakeEnvironment(), ["-c", Write(source)]);

        Assert.Equal(expected, loaded.Values.Get<string>(Settings.MaxWorkerMemory));
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void UserAndGroup_AsNumbersInAConfigFile_AreReadAsIds_AndInitgroupsIsASetting()
    {
        var loaded = Load(new FakeEnvironment(), ["-c", Write("user = 65534\ngroup = 65534\ninitgroups = True\n")]);

        Assert.Equal("65534", loaded.Values.Get<string>(Settings.User));
        Assert.Equal("65534", loaded.Values.Get<string>(Settings.Group));
        Assert.True(loaded.Values.Get<bool>(Settings.InitGroups));
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void MaxWorkerMemory_ASmallIntFromAGunicornFile_IsIgnoredWithAWarning_NotAppliedAsBytes()
    {
        // Gunicorn has no max_worker_memory; files written for it set "max_worker_memory = 400  # MB" for hooks of their own.
        var config = Write("workers = 2\nmax_worker_memory = 400  # MB\n");

        var loaded = Load(new FakeEnvironment(), ["-c", config]);

        Assert.Null(loaded.Values[Settings.MaxWorkerMemory]);
        Assert.Equal(2, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal([$"{config}:2: max_worker_memory = 400 is ignored: as bytes it is less than any .NET worker uses; for megabytes write max_worker_memory = '400MB'"], loaded.Warnings);
    }

    [Fact]
    public void MaxWorkerMemory_ASmallSize_IsAnError()
    {
        var config = Write("max_worker_memory = '1MB'\n");

        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment(), ["-c", config]));

        Assert.Equal($"{config}:1: invalid max_worker_memory: max_worker_memory must be at least 32MB (no .NET worker runs in less, so every worker would be recycled), not 1048576 bytes", error.Message);
    }

    [Fact]
    public void NamedConfigFile_ThatIsADirectory_SaysSo()
    {
        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment(), ["-c", _directory]));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.Equal($"config file '{_directory}' is a directory; name the file in it with -c/--config, such as -c {Path.Combine(_directory, "gunicorn.conf.py")}", error.Message);
    }

    [Fact]
    public void ConfigFile_NotInUtf8_FailsNamingTheLine_InsteadOfLoadingAlteredText()
    {
        var path = Path.Combine(_directory, "latin1.conf.py");
        File.WriteAllBytes(path, [.. "workers = 2\nproc_name = 'caf"u8, 0xE9, .. "'\n"u8]);

        var error = Assert.Throws<ProcmanException>(() => Load(new FakeEnvironment(), ["-c", path]));

        Assert.Equal($"{path}:2:17: the file is not valid UTF-8 (byte 0xE9 at offset 28); save the file as UTF-8", error.Message);
    }

    [Fact]
    public void ConfigFile_WithAUtf8ByteOrderMark_Loads()
    {
        var path = Path.Combine(_directory, "bom.conf.py");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "proc_name = 'café'\n"u8]);

        Assert.Equal("café", Load(new FakeEnvironment(), ["-c", path]).Values.Get<string>(Settings.ProcName));
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
    [InlineData("graceful_timeout = 0\n", ":1: invalid graceful_timeout: graceful_timeout must be more than 0 and at most 2147483 seconds")]
    [InlineData("graceful_timeout = 10 ** 9\n", ":1: invalid graceful_timeout: graceful_timeout must be more than 0 and at most 2147483 seconds")]
    [InlineData("timeout = float('inf')\n", ":1: invalid timeout: timeout must be from 0 (off) to 2147483 seconds (24.8 days, the longest .NET timers wait), not inf")]
    [InlineData("reload = 'yes'\n", ":1: invalid reload: expected True or False, got str 'yes'")]
    [InlineData("loglevel = 'loud'\n", ":1: invalid loglevel: loglevel must be one of debug, info, warning, error, critical, not 'loud'")]
    [InlineData("secure_scheme_headers = {'X-Proto': 1}\n", ":1: invalid secure_scheme_headers: expected a dict of strings")]
    [InlineData("forwarded_allow_ips = 'proxy.local'\n", ":1: invalid forwarded_allow_ips: forwarded_allow_ips has 'proxy.local', which is not an IP address or network")]
    [InlineData("user = ['www-data']\n", ":1: invalid user: expected a string or an int")]
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
    [InlineData("--timeout 1e300", "PROCMAN_CMD_ARGS: invalid --timeout '1e300': timeout must be from 0 (off) to 2147483 seconds")]
    [InlineData("--graceful-timeout 1e9", "PROCMAN_CMD_ARGS: invalid --graceful-timeout '1e9': graceful_timeout must be more than 0 and at most 2147483 seconds")]
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
