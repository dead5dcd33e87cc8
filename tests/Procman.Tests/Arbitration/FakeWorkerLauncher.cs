using Procman.Arbitration;
using Procman.Protocol;

namespace Procman.Tests.Arbitration;

/// <summary>Starts no process: hands out fake workers with made-up pids and records what the arbiter does to them.</summary>
internal sealed class FakeWorkerLauncher : IWorkerLauncher
{
    private int _nextPid = 1000;

    public List<FakeWorker> Launched { get; } = [];

    /// <summary>When set, the next launch throws this instead of starting a worker.</summary>
    public Exception? FailNextLaunch { get; set; }

    public IWorkerHandle Launch(long key, int slot, IReadOnlySet<int> servingSlots)
    {
        if (FailNextLaunch is { } failure)
        {
            FailNextLaunch = null;
            throw failure;
        }
        var worker = new FakeWorker(key, slot, ++_nextPid) { ServingSlots = servingSlots };
        Launched.Add(worker);
        return worker;
    }

    internal sealed class FakeWorker(long key, int slot, int pid) : IWorkerHandle
    {
        public long Key { get; } = key;

        public int Slot { get; } = slot;

        public int Pid { get; } = pid;

        /// <summary>Whether another worker was ready when this one was launched.</summary>
        public IReadOnlySet<int> ServingSlots { get; init; } = new HashSet<int>();

        public bool OthersServing => ServingSlots.Count > 0;

        /// <summary>The channel messages the arbiter's intentions became, as the real handle sends them.</summary>
        public List<MasterMessage> Sent { get; } = [];

        public List<HandleAction> Actions { get; } = [];

        public bool Disposed { get; private set; }

        public void Drain(TimeSpan deadline) => Sent.Add(new MasterMessage.Drain(deadline));

        public void Share(int connections) => Sent.Add(new MasterMessage.Share(connections));

        public void Terminate() => Actions.Add(HandleAction.Terminate);

        public void Kill() => Actions.Add(HandleAction.Kill);

        public void ReopenLogs() => Actions.Add(HandleAction.ReopenLogs);

        /// <summary>The arbiter asked for the worker's boot priority to end.</summary>
        public bool PriorityRestored { get; private set; }

        /// <summary>When set, the kernel refuses to raise this worker's priority again.</summary>
        public bool RefusePriority { get; set; }

        public bool RestorePriority()
        {
            PriorityRestored = true;
            return !RefusePriority;
        }

        public void Dispose() => Disposed = true;
    }
}
