using Procman.Diagnostics;

namespace Procman.Tests.Diagnostics;

public sealed class StackSummaryTests
{
    [Fact]
    public void Threads_AreGroupedByIdenticalStack_MostCommonFirst()
    {
        string[] blocked = ["Thread.Sleep", "Misbehaviour.BlockForever", "ThreadPoolWorkQueue.Dispatch"];
        string[] waiting = ["Monitor.Enter", "Misbehaviour.TakeLocks"];
        IReadOnlyList<string>[] stacks = [blocked, waiting, blocked, [], blocked];

        var summary = StackSummary.Format(stacks);

        Assert.Equal(
            """
                3 threads: Thread.Sleep <- Misbehaviour.BlockForever <- ThreadPoolWorkQueue.Dispatch
                1 thread: (no managed frames)
                1 thread: Monitor.Enter <- Misbehaviour.TakeLocks
            """,
            summary);
    }

    [Fact]
    public void BeyondTheFirstGroups_TheRestIsCounted()
    {
        var stacks = Enumerable.Range(0, 20).Select(i => (IReadOnlyList<string>)[$"Frame.Number{i}"]).ToArray();

        var lines = StackSummary.Format(stacks).Split('\n');

        Assert.Equal(13, lines.Length);
        Assert.Equal("    and 8 more threads in 8 other stacks", lines[^1]);
    }

    [Theory]
    [InlineData("System.Threading.Thread", "Sleep", "Thread.Sleep")]
    [InlineData("Program+<>c", "<<Main>$>b__0_5", "Program.<>c.<<Main>$>b__0_5")]
    [InlineData("System.Runtime.CompilerServices.AsyncMethodBuilderCore", "Start[[Program+<Run>d__0, App]]", "AsyncMethodBuilderCore.Start")]
    [InlineData("System.Threading.Tasks.Task`1[[System.Int32, System.Private.CoreLib]]", "GetResultCore", "Task`1.GetResultCore")]
    [InlineData("Misbehaviour", "BlockForever", "Misbehaviour.BlockForever")]
    public void FrameName_LeavesOutNamespacesAndGenericArguments(string type, string method, string expected)
        => Assert.Equal(expected, StackSummary.FrameName(type, method));
}
