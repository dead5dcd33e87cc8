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
    [InlineData(new[] { "--no-such-flag" }, "Unrecognized command or argument '--no-such-flag'.")]
    [InlineData(new[] { "--error-logfile", "/nonexistent-procman-dir/procman.log" }, "errorlog '/nonexistent-procman-dir/procman.log' is in a directory that does not exist")]
    [InlineData(new[] { "--access-logfile", "/tmp" }, "accesslog '/tmp' is a directory; give a file path")]
    [InlineData(new[] { "--pid", "/nonexistent-procman-dir/procman.pid" }, "pidfile '/nonexistent-procman-dir/procman.pid' is in a directory that does not exist")]
    public async Task InvalidCommandLine_ExitsTwo_WithOneLine(string[] arguments, string expected)
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, arguments);

        Assert.Equal(2, await procman.WaitForExitAsync(ExitTimeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.StartsWith("procman: error: ", error);
        Assert.Contains(expected, error);
    }
}
