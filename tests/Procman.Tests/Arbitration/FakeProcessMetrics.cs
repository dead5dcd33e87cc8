using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

internal sealed class FakeProcessMetrics : IProcessMetrics
{
    public Dictionary<int, long> Resident { get; } = [];

    public long? ResidentBytes(int pid) => Resident.TryGetValue(pid, out var bytes) ? bytes : null;

    public ProcessMemory? Memory(int pid) => Resident.TryGetValue(pid, out var bytes) ? new ProcessMemory(bytes, bytes / 2) : null;
}
