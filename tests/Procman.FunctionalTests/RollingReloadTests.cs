using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class RollingReloadTests
{
    [Fact]
    public async Task RollingHup_UnderKeepAliveLoad_DropsNoRequest_AndNeverRunsMoreThanOneExtraWorker()
    {
        const int Workers = 3;
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.HelloApi, Workers, "--reload-batch", "1", ProcmanHost.NoWarmup);
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

    [Fact]
    public async Task RollingReloadWait_WhenANewWorkerFailsMidRoll_ExitsNonZeroWithTheReason_AndServesThroughout()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        var ticket = directory.Combine("boot-ticket");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "2", "--reload-batch", "1", "--boot-timeout", "15", "--control-socket", socket, ProcmanHost.NoWarmup],
            new Dictionary<string, string> { ["TESTAPP_BOOT_TICKET"] = ticket });
        await GiveTicketAsync(ticket);
        await GiveTicketAsync(ticket);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        var old = procman.ReadyWorkers();
        var done = new TaskCompletionSource();
        var load = Wrk.RunAsync(procman.BaseAddress, connections: 10, duration: TimeSpan.FromSeconds(120), until: done.Task);

        var reload = ProcmanCommand.RunAsync(["reload", "--wait", "--control-socket", socket]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerStarted, 3, ProcmanHost.StartTimeout);
        await GiveTicketAsync(ticket);
        // The second new worker gets no ticket: it never boots, and boot_timeout ends it.
        var failed = await reload;

        Assert.Equal(8, failed.ExitCode);
        Assert.StartsWith("procman: error: reload failed: new worker 2", failed.Error);
        Assert.Contains("boot_timeout", failed.Error);
        Assert.Single(procman.Events, e => e.Id == MasterEvent.RollKept);
        // The new worker left serving is replaced by one of the running configuration, overlapped.
        await procman.WaitForEventsAsync(MasterEvent.WorkerStarted, 5, ProcmanHost.StartTimeout);
        await GiveTicketAsync(ticket);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 4, ProcmanHost.StartTimeout);
        var leftOver = procman.Events.Where(e => e.Id == MasterEvent.WorkerReady).Select(e => e.Int("Pid")).ElementAt(2);
        await procman.WaitForEventAsync(_ => !ProcessTable.IsAlive(leftOver), TimeSpan.FromSeconds(60), "the left-over worker to exit");
        done.SetResult();
        var result = await load;

        Assert.True(result.Requests > 100, result.Output);
        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        var serving = procman.ReadyWorkers();
        Assert.Equal(2, serving.Count);
        Assert.Single(serving.Intersect(old));
    }

    /// <summary>Lets one worker boot past the test app's gate, and waits until one has taken the ticket.</summary>
    private static async Task GiveTicketAsync(string ticket)
    {
        await File.WriteAllTextAsync(ticket, "");
        using var bound = new CancellationTokenSource(ProcmanHost.StartTimeout);
        while (File.Exists(ticket))
        {
            await Task.Delay(20, bound.Token);
        }
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
