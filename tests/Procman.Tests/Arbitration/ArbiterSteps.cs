using Procman.Arbitration;
using Procman.Worker.Protocol;

namespace Procman.Tests.Arbitration;

/// <summary>What a worker tells the arbiter, as steps a test takes.</summary>
internal static class ArbiterSteps
{
    public static FakeWorkerLauncher.FakeWorker Ready(this Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker)
    {
        arbiter.Handle(new ArbiterEvent.WorkerMessage(worker.Key, ChannelMessage.Attached));
        arbiter.Handle(new ArbiterEvent.WorkerMessage(worker.Key, ChannelMessage.Ready));
        return worker;
    }

    public static void Exit(this Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker, int code)
        => arbiter.Handle(new ArbiterEvent.WorkerExited(worker.Key, new WorkerExit(code), []));
}
