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
        // second and gives shares every second, so the connections are counted once a second, as the workers report
        // them, until three of the last five counts are even. How soon that happens depends on the CPU the workers
        // get (four workers and wrk on a small, maybe busy machine), which balancing does not decide: the wait is
        // bounded instead. Without balancing a worker holds 0-9% of the connections for the whole run
        // (docs/benchmarks.md, scenario 8).
        bool Even(IReadOnlyDictionary<int, int> sample) => sample.Count == 4 && sample.Values.All(held => held >= sample.Values.Sum() * 0.10);
        string Describe(IReadOnlyDictionary<int, int> sample) => string.Join(", ", sample.Select(pair => $"{pair.Key}: {pair.Value}"));
        var balanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = Wrk.RunAsync(procman.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(60), script: Wrk.CountPerPidScript(), until: balanced.Task);
        var samples = new List<IReadOnlyDictionary<int, int>>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
            while (samples.TakeLast(5).Count(Even) < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                using var json = JsonDocument.Parse(await status.GetStringAsync("/status"));
                samples.Add(json.RootElement.GetProperty("workers").EnumerateArray()
                    .ToDictionary(worker => worker.GetProperty("pid").GetInt32(), worker => worker.GetProperty("keep_alive_connections").GetInt32()));
            }
        }
        finally
        {
            balanced.TrySetResult();
        }
        var result = await load;

        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        var workers = procman.ReadyWorkers();
        Assert.Equal(workers.Order(), result.PerPid.Keys.Order());
        Assert.True(samples.TakeLast(5).Count(Even) >= 3, $"keep-alive connections per worker, once a second: {string.Join(" | ", samples.Select(Describe))}");
    }

    [Fact]
    public async Task Hup_UnderBalancedKeepAliveLoadOnFourWorkers_DropsNoRequest()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 4, ProcmanHost.NoWarmup);

        var load = Wrk.RunAsync(procman.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(4));
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(30));
        var result = await load;

        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
    }
}
