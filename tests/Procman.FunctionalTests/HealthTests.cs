using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class HealthTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // timeout in these tests, and what a hung worker may take beyond it: the probe is queued up to a heartbeat
    // after the hang begins, the stacks take up to the diagnosis bound, and the machine is shared.
    private const int HangTimeoutSeconds = 3;
    private static readonly TimeSpan KillBound = TimeSpan.FromSeconds(HangTimeoutSeconds + 1 + 10 + 5);

    [Fact]
    public async Task BlockedWorkItems_WithThePoolFreeToGrow_AreAStarvation_KilledWithinTheTimeout_WithTheBlockingFrames()
    {
        using var dumps = new TempDirectory();
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--timeout", $"{HangTimeoutSeconds}", "--dump-dir", dumps.Path);
        var hung = procman.ReadyWorkers().Single();
        using var client = procman.CreateClient();
        client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        var started = DateTime.UtcNow;

        // The answer itself needs the pool: it never comes.
        using var blocking = new CancellationTokenSource();
        var block = client.GetAsync("/block?items=300", blocking.Token);
        var crash = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == hung, Timeout, "the hung worker to be killed");
        await blocking.CancelAsync();
        await block.ContinueWith(_ => { }, TaskScheduler.Default);
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerReady && e.Int("Pid") != hung, Timeout, "its replacement");

        var named = procman.Events.Single(e => e.Id == MasterEvent.WorkerHung);
        Assert.Equal("thread pool starved", named.Text("Kind"));
        Assert.Contains("work items queued", named.Text("Details"));
        Assert.Contains("Thread.Sleep <- Misbehaviour.BlockForever", procman.Events.Single(e => e.Id == MasterEvent.WorkerStacks).Text("Stacks"));
        Assert.InRange(crash.Time - started, TimeSpan.FromSeconds(HangTimeoutSeconds), KillBound);
        var dump = procman.Events.Single(e => e.Id == MasterEvent.DumpWritten).Text("Path");
        Assert.True(new FileInfo(dump).Length > 0, $"dump {dump} is empty");
        Assert.Contains("thread pool starved", await File.ReadAllTextAsync(Path.ChangeExtension(dump, ".txt")));
    }

    [Fact]
    public async Task SyncOverAsync_UnderLoad_StarvesThePool_AndTheStacksShowTheBlockingCall()
    {
        using var upstream = new SlowUpstream(TimeSpan.FromMilliseconds(200));
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--timeout", $"{HangTimeoutSeconds}", "-e", $"TESTAPP_UPSTREAM={upstream.Address}");
        var hung = procman.ReadyWorkers().Single();

        await UnderLoadAsync(new Uri(procman.BaseAddress, "/upstream"), async () =>
            await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == hung, Timeout, "the starved worker to be killed"));

        Assert.Equal("thread pool starved", procman.Events.First(e => e.Id == MasterEvent.WorkerHung).Text("Kind"));
        Assert.Contains("Task.InternalWait", procman.Events.First(e => e.Id == MasterEvent.WorkerStacks).Text("Stacks"));
        Assert.Contains("Misbehaviour.FetchBlocking", procman.Events.First(e => e.Id == MasterEvent.WorkerStacks).Text("Stacks"));
    }

    [Fact]
    public async Task LockOrderingDeadlock_FreezingEveryRequest_IsDetected_AndTheStacksShowTheLocks()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--timeout", $"{HangTimeoutSeconds}");
        var hung = procman.ReadyWorkers().Single();
        using var client = procman.CreateClient(keepAlive: false);
        client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        using var stop = new CancellationTokenSource();

        var requests = Enumerable.Range(0, 40).Select(i => client.GetAsync($"/transfer?from={(i % 2 == 0 ? "a" : "b")}", stop.Token)).ToArray();
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == hung, Timeout, "the deadlocked worker to be killed");
        await stop.CancelAsync();
        await Task.WhenAll(requests.Select(request => request.ContinueWith(_ => { }, TaskScheduler.Default)));

        var stacks = procman.Events.First(e => e.Id == MasterEvent.WorkerStacks).Text("Stacks");
        Assert.Equal("thread pool starved", procman.Events.First(e => e.Id == MasterEvent.WorkerHung).Text("Kind"));
        Assert.Contains("Monitor.Enter", stacks);
        Assert.Contains("Misbehaviour.Transfer", stacks);
    }

    [Fact]
    public async Task StoppedWorker_IsNamedNotRunning_AndKilledWithinTheBound_ThoughItCannotAnswer()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--timeout", $"{HangTimeoutSeconds}");
        var hung = procman.ReadyWorkers().Single();
        var stopped = DateTime.UtcNow;

        Native.Kill(hung, Native.SigStop);
        var crash = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == hung, Timeout, "the stopped worker to be killed");

        var named = procman.Events.Single(e => e.Id == MasterEvent.WorkerHung);
        Assert.Equal("process not running", named.Text("Kind"));
        Assert.Contains("state T", named.Text("Details"));
        Assert.Contains(procman.Events, e => e.Id is MasterEvent.NoStacks or MasterEvent.DiagnosisTimedOut);
        Assert.InRange(crash.Time - stopped, TimeSpan.FromSeconds(HangTimeoutSeconds), KillBound);
    }

    [Fact]
    public async Task StarvedWorker_ThatIgnoresTheDiagnosticsIpc_IsKilledOnTime_WithoutStacks()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--timeout", $"{HangTimeoutSeconds}", "-e", "DOTNET_EnableDiagnostics=0");
        var hung = procman.ReadyWorkers().Single();
        using var client = procman.CreateClient();
        client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        var started = DateTime.UtcNow;

        using var blocking = new CancellationTokenSource();
        var block = client.GetAsync("/block?items=300", blocking.Token);
        var crash = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == hung, Timeout, "the hung worker to be killed");
        await blocking.CancelAsync();
        await block.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal("thread pool starved", procman.Events.Single(e => e.Id == MasterEvent.WorkerHung).Text("Kind"));
        Assert.Contains(procman.Events, e => e.Id is MasterEvent.NoStacks or MasterEvent.DiagnosisTimedOut);
        Assert.InRange(crash.Time - started, TimeSpan.FromSeconds(HangTimeoutSeconds), KillBound);
    }

    [Fact]
    public async Task SaturatingLoad_ASixtySecondRequest_AndALongGc_KillNothing()
    {
        // The forced GC of 600 MB pauses the worker for 3 to 5 s on this shared machine (docs/health.md), and a
        // paused runtime sends nothing: the timeout stays above that, as any sane timeout does.
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--timeout", "10");
        using var client = procman.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(120);

        var report = client.GetStringAsync("/report?ms=60000");
        var gc = client.GetStringAsync("/gc?mb=600");
        var load = await Wrk.RunAsync(procman.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(30), threads: 2);
        await gc;
        Assert.Equal("report took 60000 ms\n", await report);

        Assert.True(load.Requests > 0);
        Assert.DoesNotContain(procman.Events, e => e.Id is MasterEvent.WorkerHung or MasterEvent.WorkerKilled or MasterEvent.WorkerCrashed);
    }

    [Fact]
    public async Task CrashingWorker_IsExplainedByItsUnhandledException_AndItsCrashLoopIsNamed()
    {
        using var directory = new TempDirectory();
        var marker = Path.Combine(directory.Path, "broken");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "-e", $"TESTAPP_FAIL_IF_EXISTS={marker}");
        using var client = procman.CreateClient(keepAlive: false);

        await File.WriteAllTextAsync(marker, "");
        try
        {
            await client.GetStringAsync("/throw");
        }
        catch (HttpRequestException)
        {
            // The worker may abort before its answer is out.
        }
        var crash = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed, Timeout, "the crash");
        var loop = await procman.WaitForEventAsync(e => e.Id == MasterEvent.CrashLoop, Timeout, "the crash loop to be named");

        Assert.Contains("unhandled System.InvalidOperationException: thrown on purpose by /throw", crash.Text("Reason"));
        Assert.Contains("thrown on purpose", procman.Events.Single(e => e.Id == MasterEvent.CrashOutput).Text("Tail"));
        Assert.Contains("unhandled System.InvalidOperationException: TestApp refuses to boot", loop.Text("Cause"));
        Assert.Equal(crash.Int("Slot"), loop.Int("Slot"));
    }

    [Fact]
    public async Task MaxRequests_IsCountedInTheWorker_SoTheRecycleStartsAtTheLimit()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--max-requests", "3");
        using var client = procman.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            await client.GetStringAsync("/");
        }
        var recycling = await procman.WaitForEventAsync(e => e.Id == MasterEvent.Recycling, Timeout, "the recycle");

        Assert.Contains("max_requests: served 3 of its limit 3", recycling.Text("Reason"));
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
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--max-worker-memory", "150MB", ProcmanHost.NoWarmup);
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
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, ProcmanHost.NoWarmup);
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

    /// <summary>Runs wrk against <paramref name="url"/> while <paramref name="during"/> runs, and stops it after.</summary>
    private static async Task UnderLoadAsync(Uri url, Func<Task> during)
    {
        using var stop = new CancellationTokenSource();
        var load = Wrk.RunAsync(url, connections: 100, duration: TimeSpan.FromSeconds(60), cancellationToken: stop.Token);
        try
        {
            await during();
        }
        finally
        {
            await stop.CancelAsync();
            await load.ContinueWith(_ => { }, TaskScheduler.Default);
        }
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
