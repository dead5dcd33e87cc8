using Procman.Workers;

namespace Procman.Tests.Workers;

public sealed class ProcessWorkerLauncherTests
{
    [Theory]
    [InlineData(false, new int[0], false)]
    [InlineData(false, new[] { 2 }, true)]
    [InlineData(false, new[] { 1, 2 }, true)]
    [InlineData(true, new int[0], false)]
    [InlineData(true, new[] { 2, 3 }, false)]
    [InlineData(true, new[] { 1 }, true)]
    [InlineData(true, new[] { 1, 2 }, true)]
    public void ANewWorkerOfSlot1_IsServedFor_ByAnyReadyWorker_OrWithItsOwnSocket_OnlyByOneOfItsSlot(bool perSlot, int[] serving, bool othersServe)
    {
        // With reuse_port the kernel keeps queueing a share of the connections on the slot's own socket: a crash's
        // or a TTIN's new worker has nobody accepting them, while a reload's or a recycle's has its predecessor.
        Assert.Equal(othersServe, ProcessWorkerLauncher.OthersServe(1, serving.ToHashSet(), perSlot));
    }
}
