using Procman.Cli;

namespace Procman.Tests.Cli;

public sealed class LinuxOnlyTests
{
    [Fact]
    public void OnLinux_NothingIsWrong() => Assert.Null(LinuxOnly.Problem(isLinux: true, "Linux 6.1.0-18-amd64"));

    [Theory]
    [InlineData("Darwin 23.4.0 Darwin Kernel Version 23.4.0")]
    [InlineData("Microsoft Windows 10.0.22631")]
    public void ElsewhereTheLine_NamesTheOsAndWhereProcmanRuns(string description)
    {
        var problem = LinuxOnly.Problem(isLinux: false, description);

        Assert.NotNull(problem);
        Assert.Contains(description, problem);
        Assert.StartsWith("procman runs on Linux only", problem);
        Assert.DoesNotContain('\n', problem);
    }
}
