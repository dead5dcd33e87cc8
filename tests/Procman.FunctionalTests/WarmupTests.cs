using System.Globalization;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>A new worker warms the app through its own pipeline (warmup_path) before it says it is ready.</summary>
public sealed class WarmupTests
{
    private const int AdminListening = 157;
    private static readonly TimeSpan EventBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WarmupPath_IsRequestedNTimes_BeforeTheWorkerIsReady_AndStaysOutOfTheAccessLogAndTheRequestCount()
    {
        using var directory = new TempDirectory();
        var accessLog = directory.Combine("access.log");
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, "--warmup-path", "/warm?from=procman", "--warmup-requests", "7", "--warmup-tier-up-timeout", "0", "--access-logfile", accessLog, "--admin-bind", "127.0.0.1:0");

        using var client = procman.CreateClient();
        // The first request any client makes: the count is the warm-up's alone.
        Assert.Equal("7", await client.GetStringAsync("/warm/count"));

        // The worker's count reaches the master with its next heartbeat: it is the client's one request.
        using var admin = await AdminClientAsync(procman);
        var served = await WaitForAsync(async () => await ServedAsync(admin), count => count >= 1, "a heartbeat counting the client's request");
        Assert.Equal(1, served);
        var lines = await WaitForAsync(() => Task.FromResult(ReadLines(accessLog)), read => read.Length >= 1, "the client's request in the access log");
        Assert.Contains("GET /warm/count", Assert.Single(lines));
    }

    [Fact]
    public async Task WarmupPaths_ThatAnswer500OrThrow_StillBoot_WithOneWarningLineEach()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, "--warmup-path", "/warm/fail", "--warmup-path", "/warm/throw", "--warmup-requests", "3", "--warmup-tier-up-timeout", "0", "--capture-output");

        using var client = procman.CreateClient();
        Assert.Equal("ok\n", await client.GetStringAsync("/"));
        const string failed = "procman: worker 1: 3 of 3 warm-up request(s) to /warm/fail answered 500; the worker boots regardless";
        const string threw = "procman: worker 1: 3 of 3 warm-up request(s) to /warm/throw threw InvalidOperationException: the cache is not filled yet; the worker boots regardless";
        // A worker's output reaches the master on its own pipe, which may be read after the worker said it was ready.
        await procman.WaitForEventAsync(_ => CountOutput(procman, threw) >= 1, EventBound, "the warning for the endpoint that throws");
        Assert.Equal(1, CountOutput(procman, failed));
        Assert.Equal(1, CountOutput(procman, threw));
        Assert.DoesNotContain(procman.Events, e => e.Id is MasterEvent.WorkerCrashed or MasterEvent.WorkerFailed or MasterEvent.WorkerKilled);
    }

    [Fact]
    public async Task WarmupPath_GoesOnUntilTheJitIsQuiet_WhileAnotherWorkerServes_NotAtStart()
    {
        // A bound far past what the tier-up takes, so that a loaded machine still ends it by the JIT going quiet.
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, "--warmup-path", "/warm", "--warmup-requests", "5", "--warmup-tier-up-timeout", "60", "--capture-output",
            "-e", "Logging__LogLevel__Procman.Worker=Information");
        using var client = procman.CreateClient(keepAlive: false);

        // At start nobody else serves, and clients wait for the worker: its warm-up stops at the 5.
        Assert.Equal("5", await client.GetStringAsync("/warm/count"));
        await procman.WaitForEventAsync(_ => CountOutput(procman, "procman: worker 1 warmed up with 5 request(s) in ") >= 1, EventBound, "the first warm-up's line");

        // A reload's new worker warms while the old one serves: on past the 5 until the JIT is quiet.
        Assert.True(procman.Signal(Native.SigHup));
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, EventBound);
        await procman.WaitForEventsAsync(MasterEvent.WorkerExited, 1, EventBound);
        var warmed = int.Parse(await client.GetStringAsync("/warm/count"), CultureInfo.InvariantCulture);
        var line = $"procman: worker 1 warmed up with {warmed} request(s) in ";
        await procman.WaitForEventAsync(_ => CountOutput(procman, line) >= 1, EventBound, "the new worker's warm-up line");
        var text = procman.Events.First(e => e.Id == MasterEvent.WorkerOutput && e.Text("Line").Contains(line, StringComparison.Ordinal)).Text("Line");

        // The tier-up part sends many more than the 5; the minimal API's endpoint alone needs 30 calls twice over.
        Assert.True(warmed > 60, $"{warmed} warm-up requests");
        Assert.Contains(", until the JIT had compiled nothing for 500 ms (", text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reload_WarmsTheNewWorkerUntilTheJitIsQuiet_OutOfTheAppsTelemetry_AndWithoutAWarmupPath_OutOfTheAppAltogether(bool warmupPath)
    {
        string[] path = warmupPath ? ["--warmup-path", "/warm"] : [];
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, ["--warmup-tier-up-timeout", "60", "--capture-output", "-e", "Logging__LogLevel__Procman.Worker=Information", "-e", "TESTAPP_TELEMETRY=1", .. path]);
        using var client = procman.CreateClient(keepAlive: false);
        if (!warmupPath)
        {
            // At start nobody else serves: without a warmup_path there is no warm-up at all.
            Assert.Equal("requests=0 traced=0 measured=0 outgoing=0", await client.GetStringAsync("/telemetry"));
        }

        Assert.True(procman.Signal(Native.SigHup));
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, EventBound);
        await procman.WaitForEventsAsync(MasterEvent.WorkerExited, 1, EventBound);
        var line = warmupPath ? "procman: worker 1 warmed up with " : "procman: worker 1 warmed Kestrel up with ";
        await procman.WaitForEventAsync(_ => CountOutput(procman, line) >= (warmupPath ? 2 : 1), EventBound, "the new worker's warm-up line");
        var text = procman.Events.Last(e => e.Id == MasterEvent.WorkerOutput && e.Text("Line").Contains(line, StringComparison.Ordinal)).Text("Line");
        Assert.Contains(", until the JIT had compiled nothing for 500 ms (", text);
        var warmed = int.Parse(text[(text.IndexOf(line, StringComparison.Ordinal) + line.Length)..].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(warmed > 30, $"{warmed} warm-up requests");

        // The new worker's app saw the warm-up's requests only with a warmup_path; its traces and metrics saw none.
        var seen = Telemetry(await client.GetStringAsync("/telemetry"));
        Assert.Equal(warmupPath ? warmed : 0, seen["requests"]);
        Assert.Equal((0L, 0L, 0L), (seen["traced"], seen["measured"], seen["outgoing"]));
        if (warmupPath)
        {
            Assert.Equal(warmed.ToString(CultureInfo.InvariantCulture), await client.GetStringAsync("/warm/count"));
        }

        // The control: the same telemetry records a client's requests (the first /telemetry, /telemetry/outgoing and
        // the / it requests, with a warmup_path /warm/count as well: the host records each once its response is sent,
        // so a reading may lag a request behind), and the app's own outgoing one.
        await client.GetStringAsync("/telemetry/outgoing");
        var clients = warmupPath ? 4L : 3L;
        var after = await WaitForAsync(
            async () => Telemetry(await client.GetStringAsync("/telemetry")), read => read["traced"] >= clients && read["measured"] >= clients, "the clients' requests in the telemetry");
        Assert.Equal(1L, after["outgoing"]);
    }

    [Fact]
    public async Task KestrelsOwnWarmup_RunsInFrontOfTheAppsHostFiltering_ThatRefusesItsHost()
    {
        // The app's AllowedHosts leaves out the warm-up's Host: localhost; the host's filter would answer it 400.
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, "--capture-output", "-e", "Logging__LogLevel__Procman.Worker=Information", "-e", "AllowedHosts=example.com");

        Assert.True(procman.Signal(Native.SigHup));
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, EventBound);
        await procman.WaitForEventAsync(_ => CountOutput(procman, "procman: worker 1 warmed Kestrel up with ") >= 1, EventBound, "the new worker's warm-up line");

        Assert.Equal(0, CountOutput(procman, "warm-up request(s) to"));
    }

    [Fact]
    public async Task TheTierUpPart_GetsAtMostAQuarterOfBootTimeout_AndEndsByItsOwnBound_NotAsAWarmupCutShort()
    {
        // boot_timeout 8: the warm-up gets 4 s, its tier-up part 2 s, which HelloApi-like apps need more than.
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, "--warmup-path", "/warm", "--boot-timeout", "8", "--capture-output", "-e", "Logging__LogLevel__Procman.Worker=Information");

        Assert.True(procman.Signal(Native.SigHup));
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, EventBound);
        const string ended = "procman: worker 1 warmed up with ";
        await procman.WaitForEventAsync(_ => CountOutput(procman, ended) >= 2, EventBound, "the reload's warm-up line");

        var line = procman.Events.Where(e => e.Id == MasterEvent.WorkerOutput && e.Text("Line").Contains(ended, StringComparison.Ordinal)).Last().Text("Line");
        Assert.True(line.Contains("until the JIT had compiled nothing", StringComparison.Ordinal) || line.Contains("warmup_tier_up_timeout (2 s) passed", StringComparison.Ordinal), line);
        Assert.Equal(0, CountOutput(procman, "warm-up did not finish"));
    }

    [Theory]
    [InlineData("tls", "https HTTP/1.1 localhost")]
    [InlineData("h2c", "http HTTP/2 localhost")]
    public async Task WarmupPath_ComesOverAConnectionOfItsOwn_ThroughTlsAndTheProtocolProcmanServes(string endpoint, string expected)
    {
        using var files = new TempDirectory();
        string[] serving = endpoint == "tls"
            ? await TlsArgumentsAsync(files)
            : ["--http-protocols", "h2", "--http2-cleartext", "prior-knowledge"];
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, ["--warmup-path", "/warm", "--warmup-requests", "3", "--warmup-tier-up-timeout", "0", .. serving]);

        var scheme = endpoint == "tls" ? "https" : "http";
        string[] client = endpoint == "tls" ? ["-k"] : ["--http2-prior-knowledge"];
        var count = await Tool.RunAsync("curl", ["-sS", .. client, $"{scheme}://127.0.0.1:{procman.Port}/warm/count"]);
        var last = await Tool.RunAsync("curl", ["-sS", .. client, $"{scheme}://127.0.0.1:{procman.Port}/warm/last"]);

        Assert.True(count.ExitCode == 0, count.Errors);
        Assert.Equal("3", count.Output);
        Assert.Equal(expected, last.Output);
    }

    [Fact]
    public async Task WarmupPath_ThatNeverAnswers_BootsAfterHalfTheBootTimeout_WithAWarning()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 1, "--warmup-path", "/warm", "--warmup-path", "/warm/hang", "--boot-timeout", "16", "--capture-output");

        using var client = procman.CreateClient();
        Assert.Equal("10", await client.GetStringAsync("/warm/count"));
        const string timedOut = "procman: worker 1: warm-up did not finish within 8 s (a request to /warm/hang is still running, 10 finished); the worker takes traffic without it";
        await procman.WaitForEventAsync(_ => CountOutput(procman, timedOut) >= 1, EventBound, "the warning for the warm-up that timed out");
        Assert.DoesNotContain(procman.Events, e => e.Id is MasterEvent.WorkerCrashed or MasterEvent.WorkerFailed or MasterEvent.WorkerKilled);
    }

    [Fact]
    public async Task Reload_NewWorkerTakesNoConnectionWhileItWarmsUp_AndIsWarmWhenItDoes()
    {
        // /warm/hang holds each warm-up open for its whole bound (half of boot_timeout, 8 s), so the window below,
        // 3 s from the new worker's start, lies inside its warm-up whatever the machine's load.
        var window = TimeSpan.FromSeconds(3);
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--warmup-path", "/warm", "--warmup-path", "/warm/hang", "--boot-timeout", "16");
        using var client = procman.CreateClient(keepAlive: false);
        var old = await client.GetStringAsync("/pid");

        Assert.True(procman.Signal(Native.SigHup));
        var started = await procman.WaitForEventsAsync(MasterEvent.WorkerStarted, 2, EventBound);
        var until = DateTime.UtcNow + window;
        var answers = new List<string>();
        while (DateTime.UtcNow < until)
        {
            answers.Add(await client.GetStringAsync("/pid"));
            await Task.Delay(50);
        }
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, EventBound);
        await procman.WaitForEventsAsync(MasterEvent.WorkerExited, 1, EventBound);

        Assert.All(answers, pid => Assert.Equal(old, pid));
        Assert.Equal(started[1].Int("Pid").ToString(CultureInfo.InvariantCulture), await client.GetStringAsync("/pid"));
        Assert.Equal("10", await client.GetStringAsync("/warm/count"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WarmupPath_WarmsAnAppBuiltWithStartup_OnTheLegacyAndTheGenericHost(bool genericHost)
    {
        await using var procman = ProcmanHost.Start(
            Paths.LegacyApp,
            ["-w", "2", "--warmup-path", "/warm", "--warmup-requests", "4", "--warmup-tier-up-timeout", "0", "--capture-output"],
            environment: genericHost ? new Dictionary<string, string> { ["LEGACYAPP_GENERIC_HOST"] = "1" } : null);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);

        // Each worker counts its own warm-up; over connection-per-request, both answer in time.
        using var client = procman.CreateClient(keepAlive: false);
        var pids = new HashSet<string>();
        for (var i = 0; i < 40 && pids.Count < 2; i++)
        {
            Assert.Equal("4", await client.GetStringAsync("/warm/count"));
            pids.Add(await client.GetStringAsync("/pid"));
        }
        Assert.Equal(2, pids.Count);
    }

    [Fact]
    public async Task WarmupPath_InAConfigFile_NotStartingWithASlash_ExitsTwo_WithOneLine()
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "warmup_path = ['/health', 'ready']\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);

        Assert.Equal(2, await procman.WaitForExitAsync(EventBound));
        var error = Assert.Single(procman.Output.Split('\n'), line => line.Length > 0);
        Assert.StartsWith("procman: error: ", error);
        Assert.Contains("warmup_path must start with '/' (a path as a client sends it, such as /health), not 'ready'", error);
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.WorkerStarted);
    }

    private static async Task<string[]> TlsArgumentsAsync(TempDirectory files)
    {
        var (certFile, keyFile) = await Tool.SelfSignedCertificateAsync(files);
        return ["--certfile", certFile, "--keyfile", keyFile];
    }

    private static int CountOutput(ProcmanHost procman, string text)
        => procman.Events.Count(e => e.Id == MasterEvent.WorkerOutput && e.Text("Line").Contains(text, StringComparison.Ordinal));

    private static string[] ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>TestApp's /telemetry answer, "requests=N traced=N measured=N outgoing=N", by name.</summary>
    private static Dictionary<string, long> Telemetry(string answer) =>
        answer.Split(' ').Select(pair => pair.Split('=')).ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture));

    private static async Task<HttpClient> AdminClientAsync(ProcmanHost procman)
    {
        var listening = await procman.WaitForEventsAsync(AdminListening, 1, EventBound);
        return new HttpClient { BaseAddress = new Uri(listening[0].Text("Address")), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The requests the master knows worker 1 has served, from /metrics.</summary>
    private static async Task<long> ServedAsync(HttpClient admin)
    {
        var text = await admin.GetStringAsync("/metrics");
        var sample = text.Split('\n').FirstOrDefault(line => line.StartsWith("procman_worker_requests_total{slot=\"1\"", StringComparison.Ordinal));
        return sample is null ? 0 : long.Parse(sample[(sample.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + EventBound;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"waited {EventBound.TotalSeconds} s for {what}");
            }
            await Task.Delay(100);
        }
    }
}
