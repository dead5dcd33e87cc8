using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class ReusePortTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EachWorkerHoldsOneListeningSocketOfItsOwn_AndTtouTtinCloseAndOpenOne()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 3, "--reuse-port", "true");
        var workers = procman.ReadyWorkers();

        var sockets = ListeningSockets.OnPort(procman.Port);
        Assert.Equal(3, sockets.Count);
        var held = workers.Select(pid => ListeningSockets.HeldBy(pid).Intersect(sockets).ToArray()).ToArray();
        Assert.All(held, own => Assert.Single(own));
        Assert.Equal(3, held.Select(own => own[0]).Distinct().Count());

        var oldest = procman.Events.First(e => e.Id == MasterEvent.WorkerStarted).Int("Pid");
        procman.Signal(Native.SigTtou);
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == oldest, Timeout, "the oldest worker to be removed");
        await procman.WaitForEventAsync(_ => ListeningSockets.OnPort(procman.Port).Count == 2, Timeout, "its socket to close");
        Assert.Contains(procman.Events, e => e.Id == MasterEvent.SlotSocketsClosed);

        procman.Signal(Native.SigTtin);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 4, Timeout);
        Assert.Equal(3, ListeningSockets.OnPort(procman.Port).Count);
        using var client = procman.CreateClient(keepAlive: false);
        for (var i = 0; i < 20; i++)
        {
            Assert.Contains(int.Parse(await client.GetStringAsync("/pid")), procman.ReadyWorkers());
        }
    }

    [Fact]
    public async Task KeepAliveLoad_OnFourWorkers_LeavesNoWorkerBelowFifteenPercent()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 4, "--reuse-port", "true");

        // The kernel spreads the 64 connections over the four sockets by their addresses; balancing then
        // moves the excess of a worker that got more than its share. The first 4 s are left out of the count.
        var result = await Wrk.RunAsync(procman.BaseAddress, connections: 64, duration: TimeSpan.FromSeconds(12), script: Wrk.CountPerPidScript(skipSeconds: 4));

        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        var perPid = result.PerPid;
        Assert.Equal(procman.ReadyWorkers().Order(), perPid.Keys.Order());
        var total = perPid.Values.Sum();
        Assert.All(perPid, pair => Assert.True(pair.Value >= total * 0.15,
            $"worker {pair.Key} served {pair.Value} of {total} requests ({100.0 * pair.Value / total:0.#}%): {string.Join(", ", perPid.Select(p => $"{p.Key}: {p.Value}"))}"));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task ConnectionsQueuedForAKilledWorker_AreServed_AndWithReusePortNotHeldBackByAWarmup(string reusePort)
    {
        await using var procman = await ProcmanHost.StartReadyAsync(
            Paths.TestApp, 2, "--reuse-port", reusePort, "--capture-output", "-e", "Logging__LogLevel__Procman.Worker=Information");
        var victim = procman.ReadyWorkers()[0];

        Assert.True(Native.Kill(victim, Native.SigKill));
        await procman.WaitForEventAsync(_ => !ProcessTable.IsAlive(victim), Timeout, "the worker to die");
        // With reuse_port about half of these connections land on the dead worker's socket, which the master
        // keeps: they wait there for its replacement instead of being reset.
        using var client = procman.CreateClient(keepAlive: false);
        var pids = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ => int.Parse(await client.GetStringAsync("/pid"))));

        var replacement = await procman.WaitForEventAsync(
            e => e.Id == MasterEvent.WorkerReady && e.Int("Pid") != victim && e.Int("Slot") == procman.SlotOf(victim), Timeout, "the replacement");
        Assert.DoesNotContain(victim, pids);
        if (reusePort == "true")
        {
            Assert.Contains(replacement.Int("Pid"), pids);
        }

        // On a shared socket the other worker serves while the replacement warms Kestrel up; on the slot's own socket
        // the connections queued there wait for the replacement, which therefore takes no time to warm up. Every line
        // the workers wrote is in once the master has exited.
        procman.Signal(Native.SigTerm);
        Assert.Equal(0, await procman.WaitForExitAsync(Timeout));
        var warmed = procman.Events.Count(e => e.Id == MasterEvent.WorkerOutput && e.Int("Pid") == replacement.Int("Pid")
            && e.Text("Line").Contains("warmed Kestrel up", StringComparison.Ordinal));
        Assert.Equal(reusePort == "true" ? 0 : 1, warmed);
    }

    [Fact]
    public async Task Hup_ChangingReusePort_IsRefused_AndTheWorkersKeepServing()
    {
        using var files = new TempDirectory();
        var config = files.File("procman.conf.py", "bind = '127.0.0.1:0'\nworkers = 2\nreuse_port = True\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        var workers = procman.ReadyWorkers();

        await File.WriteAllTextAsync(config, "bind = '127.0.0.1:0'\nworkers = 2\nreuse_port = False\n");
        procman.Signal(Native.SigHup);
        var refused = await procman.WaitForEventAsync(e => e.Id == MasterEvent.ReloadRefused, Timeout, "the reload to be refused");

        Assert.Contains("reuse_port cannot change while procman runs", refused.Text("Reason"));
        using var client = procman.CreateClient(keepAlive: false);
        Assert.Contains(int.Parse(await client.GetStringAsync("/pid")), workers);
        Assert.Equal(workers.Order(), procman.ReadyWorkers().Order());
    }

    [Fact]
    public async Task ReusePort_OnAUnixSocket_WarnsThatItIsShared()
    {
        using var files = new TempDirectory();
        var socket = files.Combine("app.sock");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-b", $"unix:{socket}", "--reuse-port", "true"]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        Assert.Contains(procman.Events, e => e.Id == MasterEvent.ConfigurationWarning && e.Text("Warning").Contains("reuse_port applies to TCP addresses only"));
    }
}
