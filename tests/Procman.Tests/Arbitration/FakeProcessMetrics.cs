using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

internal sealed class FakeProcessMetrics : IProcessMetrics
{
    public Dictionary<int, long> Resident { get; } = [];

    /// <summary>Process states by pid; a pid not listed is sleeping (S), as an idle live process is.</summary>
    public Dictionary<int, char> States { get; } = [];

    public long? ResidentBytes(int pid) => Resident.TryGetValue(pid, out var bytes) ? bytes : null;

    public char? State(int pid) => States.TryGetValue(pid, out var state) ? state : 'S';

    /// <summary>How many times <see cref="Memory"/> was read, by pid.</summary>
    public Dictionary<int, int> MemoryReads { get; } = [];

    public ProcessMemory? Memory(int pid)
    {
        MemoryReads[pid] = MemoryReads.GetValueOrDefault(pid) + 1;
        return Resident.TryGetValue(pid, out var bytes) ? new ProcessMemory(bytes, bytes / 2) : null;
    }
}
