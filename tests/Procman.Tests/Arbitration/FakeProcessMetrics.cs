using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

internal sealed class FakeProcessMetrics : IProcessMetrics
{
    public Dictionary<int, long> Resident { get; } = [];

    /// <summary>Process states by pid; a pid not listed is sleeping (S), as an idle live process is.</summary>
    public Dictionary<int, char> States { get; } = [];

    public long? ResidentBytes(int pid) => Resident.TryGetValue(pid, out var bytes) ? bytes : null;

    public char? State(int pid) => States.TryGetValue(pid, out var state) ? state : 'S';

    public ProcessMemory? Memory(int pid) => Resident.TryGetValue(pid, out var bytes) ? new ProcessMemory(bytes, bytes / 2) : null;
}
