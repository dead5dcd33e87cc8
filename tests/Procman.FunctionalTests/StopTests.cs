using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class StopTests
{
    [Fact]
    public async Task Term_WithASlowRequestInFlight_CompletesIt_ExitsZero_AndLeavesNoChild()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 2);
        var workers = procman.ReadyWorkers();
        using var client = procman.CreateClient();
        var slow = client.GetAsync("/slow?ms=3000");
        await Task.Delay(500);

        procman.Signal(Native.SigTerm);

        using var response = await slow;
        Assert.True(response.IsSuccessStatusCode);
        Assert.StartsWith("slept 3000 ms", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.All(workers, pid => Assert.False(ProcessTable.IsAlive(pid)));
    }

    [Fact]
    public async Task Int_StopsQuickly_AndExitsZero()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 2);
        var workers = procman.ReadyWorkers();

        procman.Signal(Native.SigInt);

        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.All(workers, pid => Assert.False(ProcessTable.IsAlive(pid)));
    }

    [Fact]
    public async Task Int_WhenStartedWithInterruptsIgnored_StillStopsQuickly()
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "2"], interruptsIgnored: true);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        var workers = procman.ReadyWorkers();

        procman.Signal(Native.SigInt);

        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.All(workers, pid => Assert.False(ProcessTable.IsAlive(pid)));
    }

    [Fact]
    public async Task KillMaster_EveryWorkerIsGoneWithinFiveSeconds()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 3);
        var workers = procman.ReadyWorkers();
        Assert.Equal(3, workers.Count);

        procman.Signal(Native.SigKill);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (workers.Any(ProcessTable.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.All(workers, pid => Assert.False(ProcessTable.IsAlive(pid), $"worker {pid} outlived its master"));
    }
}
