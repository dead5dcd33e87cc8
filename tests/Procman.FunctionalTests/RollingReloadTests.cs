using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class RollingReloadTests
{
    [Fact]
    public async Task RollingHup_UnderKeepAliveLoad_DropsNoRequest_AndNeverRunsMoreThanOneExtraWorker()
    {
        const int Workers = 3;
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.HelloApi, Workers, "--reload-batch", "1");
        var old = procman.ReadyWorkers();
        using var sampling = new CancellationTokenSource();
        var sampled = Task.Run(() => MostChildren(procman.Pid, sampling.Token));

        var rolled = new TaskCompletionSource();
        var load = Wrk.RunAsync(procman.BaseAddress, connections: 50, duration: TimeSpan.FromSeconds(90), until: rolled.Task);
        await Task.Delay(TimeSpan.FromSeconds(2));
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(60));
        await procman.WaitForEventAsync(_ => old.All(pid => !ProcessTable.IsAlive(pid)), TimeSpan.FromSeconds(60), "every old worker to exit");
        rolled.SetResult();
        var result = await load;
        await sampling.CancelAsync();
        var mostSampled = await sampled;

        Assert.True(result.Requests > 1000, result.Output);
        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        // The master's own account, event by event, and what /proc showed meanwhile.
        Assert.Equal(Workers + 1, MostWorkers(procman.Events));
        Assert.InRange(mostSampled, Workers, Workers + 1);
        var current = procman.ReadyWorkers();
        Assert.Equal(Workers, current.Count);
        Assert.Empty(current.Intersect(old));
        Assert.Single(procman.Events, e => e.Id == MasterEvent.RollingReloadStarting);
    }

    /// <summary>The most workers alive at once, replaying the master's started and exited events in order.</summary>
    private static int MostWorkers(IReadOnlyList<MasterEvent> events)
    {
        var (alive, most) = (0, 0);
        foreach (var e in events)
        {
            alive += e.Id switch
            {
                MasterEvent.WorkerStarted => 1,
                MasterEvent.WorkerExited or MasterEvent.WorkerCrashed or MasterEvent.WorkerFailed => -1,
                _ => 0,
            };
            most = Math.Max(most, alive);
        }
        return most;
    }

    private static int MostChildren(int master, CancellationToken cancellationToken)
    {
        var most = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            most = Math.Max(most, ProcessTable.ChildrenOf(master).Count);
            Thread.Sleep(10);
        }
        return most;
    }
}
