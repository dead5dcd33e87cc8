using Procman.Protocol;

namespace Procman.Tests.Protocol;

public sealed class RuntimeFilesTests
{
    [Fact]
    public void StartTime_IsField22_CountedFromTheLastParenthesisOfTheCommandName()
    {
        // A command name may hold spaces and parentheses: "a) b (c".
        var stat = "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 1234 0 0 0 12 3 0 0 20 0 9 0 987654 123456789 4321 18446744073709551615";

        Assert.Equal("987654", RuntimeFiles.StartTime(stat));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (short) S 1 2 3")]
    [InlineData("no parenthesis at all 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22")]
    public void StartTime_OfSomethingElse_IsNull(string stat) => Assert.Null(RuntimeFiles.StartTime(stat));

    [Fact]
    public void Names_AreTheRuntimesOwn() => Assert.Equal(
        ["dotnet-diagnostic-4242-987654-socket", "clr-debug-pipe-4242-987654-in", "clr-debug-pipe-4242-987654-out"],
        RuntimeFiles.Names(4242, "987654"));
}
