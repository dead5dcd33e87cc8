using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>What <c>systemctl restart</c> does to a service with a .socket unit: stop procman, start a new one, on the same socket.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task StopThenStart_OnASocketHeldAcrossThem_UnderKeepAliveLoad_RefusesAndDropsNothing()
    {
        using var socket = new HeldSocket();
        await using var first = socket.StartProcman(Paths.TestApp, ["-w", "2"]);
        await first.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        // The load lasts until the second master's workers have served a while, however long the restart takes.
        var servedAWhile = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = Wrk.RunAsync(socket.BaseAddress, connections: 20, duration: TimeSpan.FromSeconds(120), script: Wrk.CountPerPidScript(), until: servedAWhile.Task);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            first.Signal(Native.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(40)));
            await using var second = socket.StartProcman(Paths.TestApp, ["-w", "2"]);
            await second.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
            await Task.Delay(TimeSpan.FromSeconds(2));
            servedAWhile.SetResult();
            var result = await load;

            Assert.True(result.Requests > 0, result.Output);
            Assert.Equal(0, result.SocketErrors);
            Assert.Equal(0, result.Non2xx);
            // Both masters' workers served: the load ran across the restart.
            Assert.Contains(result.PerPid.Keys, pid => first.Events.Any(e => e.Id == MasterEvent.WorkerStarted && e.Int("Pid") == pid));
            Assert.Contains(result.PerPid.Keys, pid => second.Events.Any(e => e.Id == MasterEvent.WorkerStarted && e.Int("Pid") == pid));
        }
        finally
        {
            // Ends wrk, also when the test fails before the second master served.
            servedAWhile.TrySetResult();
        }
    }
}
