using System.Net;
using System.Net.Sockets;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class StartupErrorTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MissingApp_ExitsFour_WithOneLineNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-app", "MyApi.dll");
        await using var procman = ProcmanHost.Start(missing, [], workingDirectory: Path.GetTempPath());

        Assert.Equal(4, await procman.WaitForExitAsync(ExitTimeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.StartsWith("procman: error: app '", error);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public async Task PortInUse_ExitsFive_WithOneLine_AndStartsNoWorker()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-b", $"127.0.0.1:{port}"]);

        Assert.Equal(5, await procman.WaitForExitAsync(ExitTimeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.Equal($"procman: error: cannot bind 127.0.0.1:{port}: address already in use; stop the process listening there or choose another address with -b", error);
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerStarted);
    }

    [Fact]
    public async Task AppFailingAtBoot_ExitsThree_ShowsItsOutput_AndLeavesNothingRunning()
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "3", "-e", "TESTAPP_FAIL_AT_BOOT=1"]);

        Assert.Equal(3, await procman.WaitForExitAsync(ExitTimeout));
        var lines = procman.Output.Split('\n');
        var last = lines.Last(line => line.Length > 0);
        Assert.StartsWith("procman: error: worker ", last);
        Assert.Contains("exited before it was ready", last);
        var failure = Assert.Single(procman.Events, e => e.Id == MasterEvent.WorkerFailed);
        Assert.Contains("the database connection string is missing", failure.Text("Tail"));
        Assert.DoesNotContain(lines, line => line.StartsWith("   at Procman", StringComparison.Ordinal));
        var workers = procman.Events.Where(e => e.Id == MasterEvent.WorkerStarted).Select(e => e.Int("Pid")).ToArray();
        Assert.NotEmpty(workers);
        Assert.All(workers, pid => Assert.False(ProcessTable.IsAlive(pid)));
    }

    [Theory]
    [InlineData(new[] { "-w", "many" }, "invalid --workers 'many': 'many' is not a whole number")]
    [InlineData(new[] { "-w", "0" }, "invalid --workers '0': workers must be between 1 and 1024, not 0")]
    [InlineData(new[] { "-b", "localhost:http" }, "invalid --bind 'localhost:http': bind address 'localhost:http' has an invalid port 'http'; use a number from 0 to 65535")]
    [InlineData(new[] { "--http2-cleartext", "upgrade" }, "http2_cleartext = 'upgrade' needs the HTTP/1.1 'Upgrade: h2c' mechanism, which Kestrel does not implement; use 'prior-knowledge'")]
    [InlineData(new[] { "--http-protocols", "h3" }, "procman does not serve HTTP/3 (QUIC)")]
    [InlineData(new[] { "--no-such-flag" }, "Unrecognized command or argument '--no-such-flag'; run 'procman run --help' for usage")]
    [InlineData(new[] { "--error-logfile", "/nonexistent-procman-dir/procman.log" }, "errorlog '/nonexistent-procman-dir/procman.log' is in a directory that does not exist")]
    [InlineData(new[] { "--access-logfile", "/tmp" }, "accesslog '/tmp' is a directory; give a file path")]
    [InlineData(new[] { "--pid", "/nonexistent-procman-dir/procman.pid" }, "pidfile '/nonexistent-procman-dir/procman.pid' is in a directory that does not exist")]
    [InlineData(new[] { "--timeout", "1e300" }, "invalid --timeout '1e300': timeout must be from 0 (off) to 2147483 seconds")]
    [InlineData(new[] { "--graceful-timeout", "1e9" }, "invalid --graceful-timeout '1e9': graceful_timeout must be more than 0 and at most 2147483 seconds")]
    [InlineData(new[] { "--boot-timeout", "1e300" }, "invalid --boot-timeout '1e300': boot_timeout must be more than 0 and at most 2147483 seconds")]
    [InlineData(new[] { "--keep-alive", "1e300" }, "invalid --keep-alive '1e300': keepalive must be more than 0 and at most 2147483 seconds")]
    [InlineData(new[] { "--max-worker-lifetime", "1e12" }, "invalid --max-worker-lifetime '1e12': max_worker_lifetime must be from 0 (off) to 2147483 seconds")]
    [InlineData(new[] { "--max-worker-lifetime-jitter", "1e12" }, "invalid --max-worker-lifetime-jitter '1e12': max_worker_lifetime_jitter must be from 0 (off) to 2147483 seconds")]
    [InlineData(new[] { "-b", "unix:/tmp/procman-a-socket-path-that-is-far-too-long-for-the-sun-path-field-of-sockaddr-un-on-linux-xxxxxxxx.sock" }, "the path is 108 bytes, and a unix socket path has at most 107 (the 108-byte sun_path with its closing NUL)")]
    [InlineData(new[] { "-b", "unix:/nonexistent-procman-dir/s.sock" }, "cannot bind unix:/nonexistent-procman-dir/s.sock: directory /nonexistent-procman-dir does not exist; create it first")]
    [InlineData(new[] { "--warmup-path", "health" }, "invalid --warmup-path 'health': warmup_path must start with '/' (a path as a client sends it, such as /health), not 'health'")]
    [InlineData(new[] { "--warmup-requests", "0" }, "invalid --warmup-requests '0': warmup_requests must be between 1 and 10000, not 0")]
    [InlineData(new[] { "-c", "/tmp" }, "config file '/tmp' is a directory")]
    [InlineData(new[] { "--certfile", "/tmp" }, "certfile '/tmp' is a directory; give the file itself")]
    public async Task InvalidCommandLine_ExitsTwo_WithOneLine(string[] arguments, string expected)
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, arguments);

        Assert.Equal(2, await procman.WaitForExitAsync(ExitTimeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.StartsWith("procman: error: ", error);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("PORT", "abc", false, "invalid $PORT 'abc': bind address '0.0.0.0:abc' has an invalid port 'abc'")]
    [InlineData("PORT", "abc", true, "invalid $PORT 'abc': bind address '0.0.0.0:abc' has an invalid port 'abc'")]
    [InlineData("PORT", "99999", true, "invalid $PORT '99999': bind address '0.0.0.0:99999' has an invalid port '99999'")]
    [InlineData("WEB_CONCURRENCY", "5000", false, "invalid $WEB_CONCURRENCY '5000': workers must be between 1 and 1024, not 5000")]
    [InlineData("WEB_CONCURRENCY", "abc", true, "invalid $WEB_CONCURRENCY 'abc': 'abc' is not a whole number")]
    [InlineData("FORWARDED_ALLOW_IPS", "not an ip", true, "invalid $FORWARDED_ALLOW_IPS 'not an ip': forwarded_allow_ips has 'not an ip'")]
    public async Task InvalidEnvironmentVariable_ExitsTwo_WithOneLineNamingIt(string variable, string value, bool checkOnly, string expected)
    {
        // A config file without bind, so that bind comes from $PORT, not from the test host's -b.
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "timeout = 30\n");
        string[] arguments = checkOnly ? ["-c", config, "--check-config"] : ["-c", config];
        await using var procman = ProcmanHost.Start(Paths.TestApp, arguments, new Dictionary<string, string> { [variable] = value });

        Assert.Equal(2, await procman.WaitForExitAsync(ExitTimeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.StartsWith("procman: error: " + expected, error);
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerStarted);
    }

    [Fact]
    public async Task GunicornCmdArgs_AsProcmanCmdArgs_StartsWithOneWarningPerIgnoredFlag()
    {
        var environment = new Dictionary<string, string> { ["PROCMAN_CMD_ARGS"] = "-k uvicorn.workers.UvicornWorker --threads 4 --preload --statsd-host localhost:8125" };
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1"], environment);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        var warnings = procman.Events.Where(e => e.Id == MasterEvent.ConfigurationWarning).Select(e => e.Text("Warning")).ToArray();

        Assert.Equal(
            [
                "PROCMAN_CMD_ARGS: --worker-class is ignored: a .NET worker is always a Kestrel server",
                "PROCMAN_CMD_ARGS: --threads is ignored: Kestrel sizes its own thread pool",
                "PROCMAN_CMD_ARGS: --preload is ignored: a .NET app cannot be loaded before fork",
                "PROCMAN_CMD_ARGS: --statsd-host is ignored: statsd metrics are not supported",
            ],
            warnings);
    }

    [Theory]
    [InlineData("-c", "config file '{0}' cannot be read: permission denied; make it readable by the user procman runs as")]
    [InlineData("--certfile", "certfile '{0}' cannot be read: permission denied; make it readable by the user procman runs as")]
    [InlineData("--error-logfile", "errorlog '{0}' cannot be written: permission denied; make it writable by the user procman runs as")]
    public async Task AFileTheUserMayNotUse_ExitsTwo_WithOneLineSayingPermissionDenied(string flag, string expected)
    {
        using var files = new TempDirectory();
        var file = files.File("private", "workers = 1\n");
        File.SetUnixFileMode(file, UnixFileMode.None);
        // The directory is the user's own (0700); the other user must be able to reach the file to be refused it.
        File.SetUnixFileMode(files.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var (exitCode, output) = await RunAsUnprivilegedAsync(files.Path, "run", Paths.TestApp, flag, file, "--check-config");

        Assert.Equal(2, exitCode);
        var error = Assert.Single(output.Split('\n'), line => line.Length > 0);
        Assert.Equal("procman: error: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, file), error);
    }

    [Theory]
    [InlineData("--error-logfile", "errorlog")]
    [InlineData("--access-logfile", "accesslog")]
    [InlineData("--pid", "pidfile")]
    public async Task AFileToCreateInADirectoryTheUserMayNotWrite_ExitsTwo_WithOneLineNamingTheDirectory(string flag, string name)
    {
        using var files = new TempDirectory();
        var file = files.Combine("new.file");
        // Root runs procman as nobody, to whom 0705 is read-only; any other user runs it as itself, to whom 0500 is.
        File.SetUnixFileMode(files.Path, Environment.UserName == "root"
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (exitCode, output) = await RunAsUnprivilegedAsync(files.Path, "run", Paths.TestApp, flag, file, "--check-config");

        Assert.Equal(2, exitCode);
        var error = Assert.Single(output.Split('\n'), line => line.Length > 0);
        Assert.Equal($"procman: error: {name} '{file}' cannot be created: {files.Path} is not writable by the user procman runs as; make it writable or give another path", error);
        Assert.False(File.Exists(file));
    }

    /// <summary>
    /// Runs procman as a user that mode 0000 keeps out: nobody when the tests run as root (root reads any file),
    /// the current user otherwise.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunAsUnprivilegedAsync(string workingDirectory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        if (Environment.UserName == "root")
        {
            start.FileName = "setpriv";
            foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", Paths.Procman })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["HOME"] = workingDirectory;
        }
        else
        {
            start.FileName = Paths.Procman;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ExitTimeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
