using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class ReloadTests
{
    [Fact]
    public async Task Hup_UnderKeepAliveLoad_DropsNoRequest_AndReplacesEveryWorker()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 2);
        var old = procman.ReadyWorkers();

        var load = Wrk.RunAsync(procman.BaseAddress, connections: 50, duration: TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(3));
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(30));
        var result = await load;

        Assert.True(result.Requests > 1000, result.Output);
        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        await procman.WaitForEventAsync(_ => old.All(pid => !ProcessTable.IsAlive(pid)), TimeSpan.FromSeconds(30), "every old worker to exit");
        var current = procman.ReadyWorkers();
        Assert.Equal(2, current.Count);
        Assert.Empty(current.Intersect(old));
    }

    [Fact]
    public async Task Hup_ConnectionPerRequestLoad_DropsNoRequest()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 2);

        var load = Wrk.RunAsync(procman.BaseAddress, connections: 20, duration: TimeSpan.FromSeconds(8), keepAlive: false);
        await Task.Delay(TimeSpan.FromSeconds(2));
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(30));
        var result = await load;

        Assert.True(result.Requests > 500, result.Output);
        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
    }

    [Fact]
    public async Task RepeatedHups_LeakNoProcessOrFd()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, ProcmanHost.NoWarmup);
        // One reload first, so that whatever the runtime opens lazily on the first reload is counted before.
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(30));
        await procman.WaitForEventsAsync(MasterEvent.WorkerExited, 2, TimeSpan.FromSeconds(30));
        var fdsBefore = Directory.GetFiles($"/proc/{procman.Pid}/fd").Length;
        var threadsBefore = Directory.GetDirectories($"/proc/{procman.Pid}/task").Length;

        for (var reload = 2; reload <= 4; reload++)
        {
            procman.Signal(Native.SigHup);
            await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, reload, TimeSpan.FromSeconds(30));
            await procman.WaitForEventsAsync(MasterEvent.WorkerExited, reload * 2, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(2, ProcessTable.ChildrenOf(procman.Pid).Count);
        Assert.Equal(fdsBefore, Directory.GetFiles($"/proc/{procman.Pid}/fd").Length);
        Assert.True(Directory.GetDirectories($"/proc/{procman.Pid}/task").Length <= threadsBefore + 2, "the master's thread count grew with every reload");
    }

    [Fact]
    public async Task Hup_WhenTheNewWorkersFailToBoot_KeepsTheOldOnesServing()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"procman-fail-{Guid.NewGuid():N}");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "-e", $"TESTAPP_FAIL_IF_EXISTS={marker}");
        var old = procman.ReadyWorkers();
        try
        {
            await File.WriteAllTextAsync(marker, "broken deploy");
            procman.Signal(Native.SigHup);
            await procman.WaitForEventsAsync(MasterEvent.ReloadFailed, 1, TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(marker);
        }

        using var client = procman.CreateClient(keepAlive: false);
        for (var i = 0; i < 10; i++)
        {
            Assert.Contains(int.Parse(await client.GetStringAsync("/pid")), old);
        }
        Assert.Equal(old.Order(), procman.ReadyWorkers().Order());
    }
}
