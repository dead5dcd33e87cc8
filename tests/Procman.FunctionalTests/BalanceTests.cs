using System.Text.Json;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class BalanceTests
{
    private const int AdminListening = 157;

    [Fact]
    public async Task KeepAliveLoad_OnFourWorkers_OnceBalanced_LeavesNoWorkerBelowTenPercentOfTheConnections()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 4, "--admin-bind", "127.0.0.1:0");
        var admin = new Uri((await procman.WaitForEventsAsync(AdminListening, 1, ProcmanHost.StartTimeout))[0].Text("Address"));
        using var status = new HttpClient { BaseAddress = admin, Timeout = TimeSpan.FromSeconds(30) };

        // Balancing evens out the keep-alive connections the workers hold: it acts once the load has held for a
        // second and gives shares every second, so the connections are counted from the fifth second on, five
        // times a second apart, as the workers report them. What each worker then serves also depends on the CPU
        // it gets (four workers on a small machine), which balancing does not decide: without it a worker holds
        // 0-9% of the connections for the whole run (docs/benchmarks.md, scenario 8).
        var load = Wrk.RunAsync(procman.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(12), script: Wrk.CountPerPidScript());
        await Task.Delay(TimeSpan.FromSeconds(5));
        var samples = new List<IReadOnlyDictionary<int, int>>();
        for (var i = 0; i < 5; i++)
        {
            using var json = JsonDocument.Parse(await status.GetStringAsync("/status"));
            samples.Add(json.RootElement.GetProperty("workers").EnumerateArray()
                .ToDictionary(worker => worker.GetProperty("pid").GetInt32(), worker => worker.GetProperty("keep_alive_connections").GetInt32()));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var result = await load;

        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        var workers = procman.ReadyWorkers();
        Assert.Equal(workers.Order(), result.PerPid.Keys.Order());
        bool Even(IReadOnlyDictionary<int, int> sample) => sample.Count == 4 && sample.Values.All(held => held >= sample.Values.Sum() * 0.10);
        string Describe(IReadOnlyDictionary<int, int> sample) => string.Join(", ", sample.Select(pair => $"{pair.Key}: {pair.Value}"));
        Assert.True(samples.Count(Even) >= 3, $"keep-alive connections per worker, once a second: {string.Join(" | ", samples.Select(Describe))}");
    }

    [Fact]
    public async Task Hup_UnderBalancedKeepAliveLoadOnFourWorkers_DropsNoRequest()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 4);

        var load = Wrk.RunAsync(procman.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(4));
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(30));
        var result = await load;

        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
    }
}
