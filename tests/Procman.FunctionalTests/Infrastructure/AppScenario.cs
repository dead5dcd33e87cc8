namespace Procman.FunctionalTests.Infrastructure;

/// <summary>What every app shape procman supports must do under it: serve, reload without an error, stop cleanly.</summary>
internal static class AppScenario
{
    /// <summary>
    /// Two workers serve <paramref name="expectedRoot"/> at /, a SIGHUP under keep-alive load replaces both with no
    /// failed request, and SIGTERM stops procman with exit 0 and no worker left.
    /// </summary>
    public static async Task ServeReloadStopAsync(string app, string expectedRoot, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var procman = ProcmanHost.Start(app, ["-w", "2"], environment);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        var old = procman.ReadyWorkers();
        using (var client = procman.CreateClient(keepAlive: false))
        {
            Assert.Equal(expectedRoot, await client.GetStringAsync("/"));
        }

        var load = Wrk.RunAsync(procman.BaseAddress, connections: 20, duration: TimeSpan.FromSeconds(8));
        await Task.Delay(TimeSpan.FromSeconds(2));
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(60));
        var result = await load;
        Assert.True(result.Requests > 100, result.Output);
        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        await procman.WaitForEventAsync(_ => old.All(pid => !ProcessTable.IsAlive(pid)), TimeSpan.FromSeconds(40), "every old worker to exit");
        Assert.Empty(procman.ReadyWorkers().Intersect(old));

        var current = procman.ReadyWorkers();
        procman.Signal(Native.SigTerm);
        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(40)));
        Assert.All(current, pid => Assert.False(ProcessTable.IsAlive(pid)));
        Assert.DoesNotContain(procman.Events, e => e.Id is MasterEvent.WorkerCrashed or MasterEvent.WorkerFailed or MasterEvent.WorkerKilled);
    }
}
