using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class BalanceTests
{
    [Fact]
    public async Task KeepAliveLoad_OnFourWorkers_GivesEveryWorkerAtLeastFifteenPercent()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 4);

        var result = await Wrk.RunAsync(procman.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(10), script: Wrk.CountPerPidScript);

        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        var perPid = result.PerPid;
        var workers = procman.ReadyWorkers();
        Assert.Equal(workers.Order(), perPid.Keys.Order());
        var total = perPid.Values.Sum();
        Assert.All(perPid, pair => Assert.True(pair.Value >= total * 0.15,
            $"worker {pair.Key} served {pair.Value} of {total} requests ({100.0 * pair.Value / total:0.#}%): {string.Join(", ", perPid.Select(p => $"{p.Key}: {p.Value}"))}"));
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
