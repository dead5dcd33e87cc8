using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class AdminEndpointTests
{
    private const int AdminListening = 157;
    private const int ShutdownDelayBegun = 123;
    private static readonly TimeSpan EventBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_ParseAsPrometheusText_PassPromtool_AndNameEveryWorker()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--admin-bind", "127.0.0.1:0");
        using var admin = await AdminClientAsync(procman);

        using var response = await admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var samples = Parse(text);
        Assert.Equal(2, samples[("procman_workers", "state=\"ready\"")]);
        var pids = samples.Keys.Where(key => key.Name == "procman_worker_proportional_memory_bytes")
            .Select(key => int.Parse(key.Labels.Split("pid=\"")[1].TrimEnd('"'), CultureInfo.InvariantCulture));
        Assert.Equal(ProcessTable.ChildrenOf(procman.Pid).Order(), pids.Order());
        var (code, output) = await PromtoolAsync(text);
        Assert.True(code == 0, $"promtool check metrics: {output}");
    }

    [Fact]
    public async Task Readyz_IsOkWithEnoughWorkersReady_AndTurns503WhileStopping()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--admin-bind", "127.0.0.1:0", "--ready-workers", "2");
        using var admin = await AdminClientAsync(procman);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/healthz")).StatusCode);
        using var app = procman.CreateClient();
        // A request in flight holds the graceful stop open, so the master is seen stopping.
        var slow = app.GetAsync("/slow?ms=4000");
        await Task.Delay(300);

        procman.Signal(Native.SigTerm);
        await procman.WaitForEventsAsync(MasterEvent.Stopping, 1, EventBound);

        using var readiness = await admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("stopping", (await readiness.Content.ReadAsStringAsync()).Trim());
        Assert.True((await slow).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Readyz_Turns503OnSigterm_ForTheShutdownDelay_WhileTheWorkersStillServeNewClients()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--admin-bind", "127.0.0.1:0", "--shutdown-delay", "5");
        using var admin = await AdminClientAsync(procman);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/readyz")).StatusCode);

        procman.Signal(Native.SigTerm);
        await procman.WaitForEventsAsync(ShutdownDelayBegun, 1, EventBound);

        using var readiness = await admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("shutdown-delay", (await readiness.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/healthz")).StatusCode);
        // A client the load balancer still sends, on a new connection: served, and the stop has not begun.
        using var app = procman.CreateClient(keepAlive: false);
        Assert.Equal("ok\n", await app.GetStringAsync("/"));
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.Stopping);
        Assert.Equal(0, await procman.WaitForExitAsync(EventBound));
    }

    [Fact]
    public async Task Status_IsTheStatusJson_AndReadyzWaitsForTheWorkersItNeeds()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--admin-bind", "127.0.0.1:0", "--ready-workers", "2");
        using var admin = await AdminClientAsync(procman);

        using var status = JsonDocument.Parse(await admin.GetStringAsync("/status"));
        using var readiness = await admin.GetAsync("/readyz");

        Assert.Equal(procman.Pid, status.RootElement.GetProperty("pid").GetInt32());
        Assert.Single(status.RootElement.GetProperty("workers").EnumerateArray());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.StartsWith("not ready: 1 worker(s) ready, 2 needed", await readiness.Content.ReadAsStringAsync());
    }

    private static async Task<HttpClient> AdminClientAsync(ProcmanHost procman)
    {
        var listening = await procman.WaitForEventsAsync(AdminListening, 1, EventBound);
        return new HttpClient { BaseAddress = new Uri(listening[0].Text("Address")), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Every sample by name and labels; every family is declared with HELP and TYPE before its samples.</summary>
    private static Dictionary<(string Name, string Labels), double> Parse(string text)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var samples = new Dictionary<(string, string), double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                declared.Add(line.Split(' ')[2]);
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            var series = line[..space];
            var brace = series.IndexOf('{');
            var name = brace < 0 ? series : series[..brace];
            var labels = brace < 0 ? "" : series[(brace + 1)..^1];
            Assert.Contains(declared, family => name == family || name == family + "_sum" || name == family + "_count");
            samples.Add((name, labels), double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }
        return samples;
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(start)!;
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        var output = promtool.StandardOutput.ReadToEndAsync();
        var error = promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (promtool.ExitCode, await output + await error);
    }
}
