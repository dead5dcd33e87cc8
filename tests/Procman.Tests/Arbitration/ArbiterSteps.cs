using Procman.Arbitration;
using Procman.Protocol;

namespace Procman.Tests.Arbitration;

/// <summary>What a worker tells the arbiter, as steps a test takes.</summary>
internal static class ArbiterSteps
{
    /// <summary>The drain a retiring worker is sent under the fixtures' graceful timeout of 30 s.</summary>
    public static readonly MasterMessage GracefulDrain = new MasterMessage.Drain(TimeSpan.FromSeconds(30));

    public static FakeWorkerLauncher.FakeWorker Ready(this Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker)
    {
        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, new WorkerMessage.Attached()));
        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, new WorkerMessage.Ready()));
        return worker;
    }

    public static void Exit(this Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker, int code)
        => arbiter.Handle(new ArbiterEvent.WorkerExited(worker.Key, new WorkerExit(code), []));
}
