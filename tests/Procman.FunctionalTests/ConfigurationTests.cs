using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class ConfigurationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LimitRequestLine_FromTheConfigFile_AnswersAnOverlongRequestLineWith414()
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "bind = '127.0.0.1:0'\nworkers = 2\nlimit_request_line = 100\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        using var client = procman.CreateClient();

        using var overlong = await client.GetAsync("/" + new string('a', 200));
        using var fine = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.RequestUriTooLong, overlong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task CertFileAndKeyFile_ServeHttpsOnTheSharedSocket()
    {
        using var files = new TempDirectory();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = files.File("cert.pem", certificate.ExportCertificatePem());
        var keyFile = files.File("key.pem", key.ExportPkcs8PrivateKeyPem());

        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--certfile", certFile, "--keyfile", keyFile);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.Subject == "CN=localhost" },
        });

        var body = await client.GetStringAsync($"https://127.0.0.1:{procman.Port}/request");

        Assert.Equal("https", JsonDocument.Parse(body).RootElement.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Hup_AfterTheConfigFileChanged_AppliesTheNewWorkerCount()
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "bind = '127.0.0.1:0'\nworkers = 1\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config, ProcmanHost.NoWarmup]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        await File.WriteAllTextAsync(config, "bind = '127.0.0.1:0'\nworkers = 3\n");
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Timeout);
        await procman.WaitForEventsAsync(MasterEvent.WorkerExited, 1, Timeout);

        Assert.Equal(3, procman.ReadyWorkers().Count);
        Assert.Equal(3, ProcessTable.ChildrenOf(procman.Pid).Count);
    }

    [Fact]
    public async Task GracefulTimeout_AtItsLongest_HupAndTermStopTheWorkersGracefully()
    {
        // 2147483 s is the longest graceful_timeout: the worker's drain bound and its host's shutdown timeout must
        // both accept it, or every HUP and TERM aborts the workers (SIGABRT) instead of draining them.
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--graceful-timeout", "2147483", ProcmanHost.NoWarmup);
        var first = procman.ReadyWorkers().Single();

        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Timeout);
        var retired = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == first, Timeout, "the first worker to retire");
        procman.Signal(Native.SigTerm);

        Assert.Equal(0, await procman.WaitForExitAsync(Timeout));
        Assert.Equal("exit code 0", retired.Text("Exit"));
        var stopped = procman.Events.Where(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") != first).ToArray();
        Assert.All(stopped, e => Assert.Equal("exit code 0", e.Text("Exit")));
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerCrashed);
    }

    [Fact]
    public async Task Hup_WithABrokenConfigFile_KeepsTheWorkersServing()
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "bind = '127.0.0.1:0'\nworkers = 2\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        var workers = procman.ReadyWorkers();

        await File.WriteAllTextAsync(config, "bind = '127.0.0.1:0'\nworkers = 'many'\n");
        procman.Signal(Native.SigHup);
        var refused = await procman.WaitForEventAsync(e => e.Id == MasterEvent.ReloadRefused, Timeout, "the reload to be refused");

        Assert.Contains("invalid workers: expected an integer, got str 'many'", refused.Text("Reason"));
        using var client = procman.CreateClient(keepAlive: false);
        for (var i = 0; i < 10; i++)
        {
            Assert.Contains(int.Parse(await client.GetStringAsync("/pid")), workers);
        }
        Assert.Equal(workers.Order(), procman.ReadyWorkers().Order());
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerStarted && !workers.Contains(e.Int("Pid")));
    }

    public static TheoryData<string, string> HostileConfigs => new()
    {
        { "x = " + new string('(', 15_000) + "1" + new string(')', 15_000) + "\n", ":1:" },
        { "x = [0] * 100000\ny = x * 100000\n", ":2:5: the collection would hold 10,000,000,000 items" },
        { "x = 'ab' * 10 ** 10\n", ":1:5: the string would be 20,000,000,000 characters long" },
    };

    [Theory]
    [MemberData(nameof(HostileConfigs))]
    public async Task Hup_WithAHostileConfigFile_RefusesTheReloadAndKeepsServing(string source, string reason)
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "bind = '127.0.0.1:0'\nworkers = 2\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        var workers = procman.ReadyWorkers();

        await File.WriteAllTextAsync(config, source + "bind = '127.0.0.1:0'\nworkers = 2\n");
        procman.Signal(Native.SigHup);
        var refused = await procman.WaitForEventAsync(e => e.Id == MasterEvent.ReloadRefused, Timeout, "the reload to be refused");

        Assert.Contains(config + reason, refused.Text("Reason"));
        using var client = procman.CreateClient(keepAlive: false);
        Assert.Contains(int.Parse(await client.GetStringAsync("/pid")), workers);
        Assert.Equal(workers.Order(), procman.ReadyWorkers().Order());
    }

    [Theory]
    [MemberData(nameof(HostileConfigs))]
    public async Task Start_WithAHostileConfigFile_ExitsTwoWithOneLineNamingFileAndLine(string source, string reason)
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", source);
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);

        Assert.Equal(2, await procman.WaitForExitAsync(Timeout));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.StartsWith($"procman: error: {config}{reason}", error);
    }

    [Fact]
    public async Task Hup_WithANewBindInTheConfigFile_ListensThereToo()
    {
        using var files = new TempDirectory();
        var socket = files.Combine("extra.sock");
        var config = files.File("procman.conf.py", "bind = ['127.0.0.1:0']\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config, ProcmanHost.NoWarmup]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        await File.WriteAllTextAsync(config, $"bind = ['127.0.0.1:0', 'unix:{socket}']\n");
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Timeout);

        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                return new NetworkStream(unix, ownsSocket: true);
            },
        });
        Assert.Equal("ok\n", await client.GetStringAsync("http://localhost/"));
        using var tcp = procman.CreateClient();
        Assert.Equal("ok\n", await tcp.GetStringAsync("/"));
    }

    [Fact]
    public async Task PrintConfig_ShowsTheLayeredSources_AndStartsNothing()
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "import os\nworkers = 2\nbacklog = int(os.environ.get('BACKLOG', '10'))\ntimeout = 3\n");

        await using var procman = ProcmanHost.Start(
            Paths.TestApp,
            ["-c", config, "--timeout", "5", "--print-config"],
            environment: new Dictionary<string, string> { ["PROCMAN_CMD_ARGS"] = "-w 4 --keep-alive 9", ["BACKLOG"] = "77" });

        Assert.Equal(0, await procman.WaitForExitAsync(Timeout));
        var lines = procman.Output.Split('\n').Where(line => line.Contains(" = ")).ToArray();
        var settings = lines.ToDictionary(
            line => line[..line.IndexOf(" = ", StringComparison.Ordinal)].TrimEnd(),
            line => line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..]);
        Assert.Equal("4", settings["workers"]);
        Assert.Equal("77", settings["backlog"]);
        Assert.Equal("5", settings["timeout"]);
        Assert.Equal("9", settings["keepalive"]);
        Assert.Single(lines.Select(line => line.IndexOf(" = ", StringComparison.Ordinal)).Distinct());
        Assert.Equal(settings.Keys.Order(StringComparer.Ordinal), settings.Keys);
        Assert.Empty(procman.Events);
    }

    [Fact]
    public async Task AccessLogRootPathAndForwardedHeaders_WorkTogether()
    {
        using var files = new TempDirectory();
        var accessLog = files.Combine("access.log");
        var config = files.File("procman.conf.py", string.Join('\n',
            "bind = '127.0.0.1:0'",
            "workers = 2",
            $"accesslog = '{accessLog}'",
            "access_log_format = '%(h)s \"%(r)s\" %(s)s %({x-test}i)s'",
            "root_path = '/api'",
            "forwarded_allow_ips = '127.0.0.1'"));
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        using var client = procman.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/request");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Test", "marker");

        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("https", body.GetProperty("scheme").GetString());
        Assert.Equal("203.0.113.7", body.GetProperty("remoteIp").GetString());
        Assert.Equal("/api", body.GetProperty("pathBase").GetString());
        Assert.Equal("/request", body.GetProperty("path").GetString());
        var line = await WaitForLineAsync(accessLog);
        Assert.Equal("203.0.113.7 \"GET /api/request HTTP/1.1\" 200 marker", line);
    }

    [Theory]
    [InlineData("127.0.0.1", "https", "127.0.0.1")]
    [InlineData("10.0.0.1", "http", "127.0.0.1")]
    public async Task ASecureSchemeHeaderAlone_CountsOnlyFromATrustedProxy(string allowed, string scheme, string remoteIp)
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--forwarded-allow-ips", allowed);

        var seen = await RequestAsSeenByTheAppAsync(procman, ("X-Forwarded-Ssl", "ON"));

        Assert.Equal((scheme, remoteIp), seen);
    }

    [Fact]
    public async Task ForwardedHeadersOfAnUntrustedPeer_AreIgnored()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--forwarded-allow-ips", "10.0.0.0/8");

        var seen = await RequestAsSeenByTheAppAsync(procman, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https"));

        Assert.Equal(("http", "127.0.0.1"), seen);
    }

    /// <summary>The scheme and the client address the app sees for a request with these headers.</summary>
    private static async Task<(string? Scheme, string? RemoteIp)> RequestAsSeenByTheAppAsync(ProcmanHost procman, params (string Name, string Value)[] headers)
    {
        using var client = procman.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/request");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("scheme").GetString(), body.GetProperty("remoteIp").GetString());
    }

    [Fact]
    public async Task PidFile_IsWrittenWhileRunning_RemovedOnStop_AndALiveOneRefusesAStart()
    {
        using var files = new TempDirectory();
        var pidFile = files.Combine("procman.pid");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--pid", pidFile);

        Assert.Equal($"{procman.Pid}\n", await File.ReadAllTextAsync(pidFile));
        await using (var second = ProcmanHost.Start(Paths.TestApp, ["--pid", pidFile]))
        {
            Assert.Equal(6, await second.WaitForExitAsync(Timeout));
            Assert.Contains($"names pid {procman.Pid}, which is running", second.Output);
        }

        procman.Signal(Native.SigTerm);
        Assert.Equal(0, await procman.WaitForExitAsync(Timeout));
        Assert.False(File.Exists(pidFile));
    }

    [Fact]
    public async Task ReloadMode_AWatchedFileChanges_ReloadsTheWorkers()
    {
        using var files = new TempDirectory();
        var watched = files.File("feature-flags.json", "{}");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--reload", "--reload-extra-file", watched, ProcmanHost.NoWarmup);
        var old = procman.ReadyWorkers().Single();

        await File.WriteAllTextAsync(watched, "{\"beta\": true}");
        var reload = await procman.WaitForEventAsync(e => e.Id == MasterEvent.ReloadRequested, Timeout, "the file change to ask for a reload");
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Timeout);

        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == old, Timeout, "the old worker to exit");
        Assert.Contains("feature-flags.json changed", reload.Text("Reason"));
        Assert.DoesNotContain(old, procman.ReadyWorkers());
    }

    [Fact]
    public async Task ErrorLogWithCaptureOutput_PutsTheMastersAndTheWorkersLinesInTheFile()
    {
        using var files = new TempDirectory();
        var errorLog = files.Combine("procman.log");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["--error-logfile", errorLog, "--capture-output"]);
        var deadline = DateTime.UtcNow + ProcmanHost.StartTimeout;
        HashSet<int> ids;
        do
        {
            await Task.Delay(100);
            var text = File.Exists(errorLog) ? await ReadSharedAsync(errorLog) : "";
            ids = text.Split('\n').Select(MasterEvent.TryParse).OfType<MasterEvent>().Select(e => e.Id).ToHashSet();
        }
        while (!ids.IsSupersetOf([MasterEvent.Listening, MasterEvent.WorkerReady, MasterEvent.WorkerOutput]) && DateTime.UtcNow < deadline);

        Assert.Superset(new HashSet<int> { MasterEvent.Listening, MasterEvent.WorkerReady, MasterEvent.WorkerOutput }, ids);
        Assert.DoesNotContain("[worker 1 pid ", procman.Output);
        Assert.Empty(procman.Events);
    }

    [Fact]
    public async Task ProcName_NamesTheMasterAndTheWorkers()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "-n", "hello-api");

        Assert.Equal("hello-api", (await File.ReadAllTextAsync($"/proc/{procman.Pid}/comm")).Trim());
        foreach (var worker in procman.ReadyWorkers())
        {
            Assert.Equal("hello-api", (await File.ReadAllTextAsync($"/proc/{worker}/comm")).Trim());
        }
    }

    [Fact]
    public async Task Umask_SetsTheUnixSocketFilesMode()
    {
        using var files = new TempDirectory();
        var socket = files.Combine("app.sock");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-b", $"unix:{socket}", "-m", "007");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(socket));
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return await reader.ReadToEndAsync();
    }

    private static async Task<string> WaitForLineAsync(string path)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && (await File.ReadAllLinesAsync(path)).FirstOrDefault() is { Length: > 0 } line)
            {
                return line;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"nothing was written to {path}");
    }
}
