using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

public sealed class RestartPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void FirstCrash_IsReplacedAtOnce()
    {
        var policy = new RestartPolicy(_time);
        policy.OnReady(1);

        Assert.Equal(TimeSpan.Zero, policy.OnCrash(1));
    }

    [Fact]
    public void RepeatedCrashes_BackOffExponentially_UpToTheCap()
    {
        var policy = new RestartPolicy(_time);

        var delays = Enumerable.Range(0, 9).Select(_ =>
        {
            var delay = policy.OnCrash(1);
            _time.Advance(TimeSpan.FromSeconds(1));
            return delay.TotalSeconds;
        }).ToArray();

        Assert.Equal([0, 1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void ReadyButNotForTheStablePeriod_KeepsBackingOff()
    {
        var policy = new RestartPolicy(_time);
        policy.OnCrash(1);
        policy.OnReady(1);
        _time.Advance(RestartPolicy.StablePeriod - TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), policy.OnCrash(1));
    }

    [Fact]
    public void StableForTheStablePeriod_ResetsTheBackoff()
    {
        var policy = new RestartPolicy(_time);
        for (var i = 0; i < 5; i++)
        {
            policy.OnCrash(1);
        }
        policy.OnReady(1);
        _time.Advance(RestartPolicy.StablePeriod);

        Assert.Equal(TimeSpan.Zero, policy.OnCrash(1));
        Assert.Equal(1, policy.ConsecutiveCrashes(1));
    }

    [Fact]
    public void Slots_BackOffIndependently()
    {
        var policy = new RestartPolicy(_time);
        policy.OnCrash(1);
        policy.OnCrash(1);
        policy.OnCrash(1);

        Assert.Equal(TimeSpan.Zero, policy.OnCrash(2));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.OnCrash(1));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(6, 16)]
    [InlineData(7, 30)]
    [InlineData(1000, 30)]
    public void DelayFor_FollowsTheDocumentedSeries(int crashes, double seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), RestartPolicy.DelayFor(crashes));
}
