using Procman.Configuration;

namespace Procman.Tests.Configuration;

public sealed class DidYouMeanTests
{
    private static readonly string[] Names = [.. Settings.All.Select(s => s.Name)];

    [Theory]
    [InlineData("wokers", "workers")]
    [InlineData("workres", "workers")]
    [InlineData("bnid", "bind")]
    [InlineData("graceful_timout", "graceful_timeout")]
    [InlineData("keep_alive", "keepalive")]
    [InlineData("log_level", "loglevel")]
    public void Closest_FindsTheMeantSetting(string typo, string expected) => Assert.Equal(expected, DidYouMean.Closest(typo, Names));

    [Theory]
    [InlineData("my_helper")]
    [InlineData("port")]
    [InlineData("cores")]
    public void Closest_LeavesHelperNamesAlone(string helper) => Assert.Null(DidYouMean.Closest(helper, Names));
}
