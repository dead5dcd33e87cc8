using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

/// <summary>Starts no process: hands out fake workers with made-up pids and records what the arbiter does to them.</summary>
internal sealed class FakeWorkerLauncher : IWorkerLauncher
{
    private int _nextPid = 1000;

    public List<FakeWorker> Launched { get; } = [];

    /// <summary>When set, the next launch throws this instead of starting a worker.</summary>
    public Exception? FailNextLaunch { get; set; }

    public IWorkerHandle Launch(long key, int slot)
    {
        if (FailNextLaunch is { } failure)
        {
            FailNextLaunch = null;
            throw failure;
        }
        var worker = new FakeWorker(key, slot, ++_nextPid);
        Launched.Add(worker);
        return worker;
    }

    internal sealed class FakeWorker(long key, int slot, int pid) : IWorkerHandle
    {
        public long Key { get; } = key;

        public int Slot { get; } = slot;

        public int Pid { get; } = pid;

        public List<string> Sent { get; } = [];

        public List<int> Signals { get; } = [];

        public bool Disposed { get; private set; }

        public bool Send(string verb, string? argument = null)
        {
            Sent.Add(argument is null ? verb : $"{verb} {argument}");
            return true;
        }

        public bool Signal(int signal)
        {
            Signals.Add(signal);
            return true;
        }

        public void Dispose() => Disposed = true;
    }
}
