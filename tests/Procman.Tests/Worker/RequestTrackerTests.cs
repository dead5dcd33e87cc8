using Microsoft.Extensions.Time.Testing;
using Procman.Worker.Health;

namespace Procman.Tests.Worker;

public sealed class RequestTrackerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TheOldestRequestInFlight_IsAged_AndForgottenOnceItEnds()
    {
        var tracker = new RequestTracker(_time, 0, (_, _) => { });
        var slow = tracker.Start();
        _time.Advance(TimeSpan.FromSeconds(60));
        var quick = tracker.Start();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, tracker.InFlight);
        Assert.Equal(TimeSpan.FromSeconds(61), tracker.OldestAge());

        tracker.End(slow);
        Assert.Equal(TimeSpan.FromSeconds(1), tracker.OldestAge());
        tracker.End(quick);
        Assert.Equal(TimeSpan.Zero, tracker.OldestAge());
        Assert.Equal(0, tracker.InFlight);
        Assert.Equal(2, tracker.Requests);
    }

    [Fact]
    public void RequestsBeyondTheSlotsNearTheirThread_AreStillCountedInFlight()
    {
        var tracker = new RequestTracker(_time, 0, (_, _) => { });

        // One thread probes 64 slots: the requests after those find none free.
        var slots = Enumerable.Range(0, 100).Select(_ => tracker.Start()).ToArray();

        Assert.Equal(100, tracker.InFlight);
        Assert.Contains(-1, slots);
        foreach (var slot in slots)
        {
            tracker.End(slot);
        }
        Assert.Equal(0, tracker.InFlight);
        Assert.Equal(100, tracker.Requests);
    }

    [Fact]
    public void TheRequestThatReachesMaxRequests_SaysSo_Once()
    {
        var reached = new List<(long, long)>();
        var tracker = new RequestTracker(_time, 3, (served, limit) => reached.Add((served, limit)));

        for (var i = 0; i < 5; i++)
        {
            tracker.End(tracker.Start());
        }

        Assert.Equal([(3L, 3L)], reached);
    }

    [Fact]
    public void DrawLimit_AddsAJitterWithinTheRange_AndZeroMeansNoLimit()
    {
        var random = new Random(7);

        var limits = Enumerable.Range(0, 200).Select(_ => RequestTracker.DrawLimit(1000, 50, random)).ToArray();

        Assert.All(limits, limit => Assert.InRange(limit, 1000, 1050));
        Assert.True(limits.Distinct().Count() > 10, "the jitter spreads the limits");
        Assert.Equal(0, RequestTracker.DrawLimit(0, 50, random));
    }
}
