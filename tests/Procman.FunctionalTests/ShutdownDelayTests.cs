using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class ShutdownDelayTests
{
    private const int ShutdownDelayEvent = 123;

    [Fact]
    public async Task Term_WithAShutdownDelay_StillAcceptsNewConnections_ThenStopsAndExitsZero()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--shutdown-delay", "5");

        procman.Signal(Native.SigTerm);
        var delay = await procman.WaitForEventAsync(e => e.Id == ShutdownDelayEvent, TimeSpan.FromSeconds(10), "the shutdown delay to begin");

        // A new connection, as a load balancer that has not yet heard of the SIGTERM would open.
        using var client = procman.CreateClient(keepAlive: false);
        Assert.Equal("ok\n", await client.GetStringAsync("/"));

        var stopping = Assert.Single(await procman.WaitForEventsAsync(MasterEvent.Stopping, 1, TimeSpan.FromSeconds(30)));
        Assert.True(stopping.Time - delay.Time >= TimeSpan.FromSeconds(5), $"the graceful stop began {(stopping.Time - delay.Time).TotalSeconds} s after SIGTERM");
        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(40)));
    }
}
