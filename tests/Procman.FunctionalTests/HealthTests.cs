using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class HealthTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StarvedThreadPool_IsDetectedWithinTheTimeout_DumpedAndReplaced()
    {
        using var dumps = new TempDirectory();
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--timeout", "3", "--dump-dir", dumps.Path);
        var hung = procman.ReadyWorkers().Single();
        using var client = procman.CreateClient();
        client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        using var starving = new CancellationTokenSource();
        var started = DateTime.UtcNow;
        _ = client.GetAsync("/starve", starving.Token);

        var crash = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == hung, Timeout, "the hung worker to be killed");
        var detectedAfter = procman.Events.First(e => e.Id == MasterEvent.WritingDump).Time - started;
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerReady && e.Int("Pid") != hung, Timeout, "its replacement");
        await starving.CancelAsync();

        Assert.Contains("hung: no heartbeat", crash.Text("Reason"));
        Assert.InRange(detectedAfter, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3 + 5));
        var dump = procman.Events.Single(e => e.Id == MasterEvent.DumpWritten).Text("Path");
        Assert.True(new FileInfo(dump).Length > 0, $"dump {dump} is empty");
        Assert.Contains("hung: no heartbeat", await File.ReadAllTextAsync(Path.ChangeExtension(dump, ".txt")));
    }

    [Fact]
    public async Task MaxRequests_RecyclesUnderLoad_WithNoFailedRequest_AndNoDipInReadyWorkers()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--max-requests", "3000", "--max-requests-jitter", "1000");

        var result = await Wrk.RunAsync(procman.BaseAddress, connections: 20, duration: TimeSpan.FromSeconds(8));
        await procman.WaitForEventsAsync(MasterEvent.Recycling, 1, Timeout);

        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        Assert.Contains("max_requests: served", procman.Events.First(e => e.Id == MasterEvent.Recycling).Text("Reason"));
        Assert.True(MinimumReadyAfterStart(procman.Events, 2) >= 2, "the number of ready workers dipped during a recycle");
    }

    [Fact]
    public async Task WorkerOverMaxWorkerMemory_IsRecycled()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--max-worker-memory", "150MB");
        var worker = procman.ReadyWorkers().Single();
        using var client = procman.CreateClient();

        await client.GetStringAsync("/alloc?mb=200");
        var recycling = await procman.WaitForEventAsync(e => e.Id == MasterEvent.Recycling, Timeout, "the recycle");
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == worker, Timeout, "the old worker to exit");

        Assert.Equal(worker, recycling.Int("Pid"));
        Assert.Contains("max_worker_memory", recycling.Text("Reason"));
        Assert.Single(procman.ReadyWorkers());
    }

    [Fact]
    public async Task TtinAndTtou_AddAndRemoveAWorker()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2);
        var oldest = procman.Events.First(e => e.Id == MasterEvent.WorkerStarted).Int("Pid");

        procman.Signal(Native.SigTtin);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 3, Timeout);
        Assert.Equal(3, ProcessTable.ChildrenOf(procman.Pid).Count);

        procman.Signal(Native.SigTtou);
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == oldest, Timeout, "the oldest worker to be removed");
        Assert.Equal(2, ProcessTable.ChildrenOf(procman.Pid).Count);
        Assert.Equal(2, procman.ReadyWorkers().Count);

        // Signals of one kind do not queue: wait for each to be handled before sending the next.
        procman.Signal(Native.SigTtou);
        await procman.WaitForEventsAsync(MasterEvent.Scaled, 3, Timeout);
        procman.Signal(Native.SigTtou);
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.ScaleRefused, Timeout, "the count to stop at one");
        Assert.Single(procman.ReadyWorkers());
    }

    [Fact]
    public async Task SlowBootingApp_WithinBootTimeout_IsNotKilledByTheLivenessTimeout()
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["--timeout", "1", "--boot-timeout", "30", "-e", "TESTAPP_BOOT_DELAY_MS=4000"]);

        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, Timeout);

        Assert.DoesNotContain(procman.Events, e => e.Id is MasterEvent.WorkerKilled or MasterEvent.WorkerFailed);
    }

    [Fact]
    public async Task AppSlowerThanBootTimeout_IsABootFailure()
    {
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["--boot-timeout", "1", "-e", "TESTAPP_BOOT_DELAY_MS=10000"]);

        Assert.Equal(3, await procman.WaitForExitAsync(Timeout));
        Assert.Contains("not ready within boot_timeout (1 s)", procman.Output.Split('\n').Last(line => line.Length > 0));
    }

    /// <summary>The fewest workers ready at any moment after the first <paramref name="target"/> were.</summary>
    private static int MinimumReadyAfterStart(IReadOnlyList<MasterEvent> events, int target)
    {
        var ready = new HashSet<int>();
        var minimum = int.MaxValue;
        var started = false;
        foreach (var e in events)
        {
            switch (e.Id)
            {
                case MasterEvent.WorkerReady:
                    ready.Add(e.Int("Pid"));
                    break;
                case MasterEvent.RetiringWorker or MasterEvent.WorkerCrashed or MasterEvent.WorkerExited or MasterEvent.WorkerKilled:
                    ready.Remove(e.Int("Pid"));
                    break;
                default:
                    continue;
            }
            started |= ready.Count >= target;
            if (started)
            {
                minimum = Math.Min(minimum, ready.Count);
            }
        }
        return minimum;
    }
}
