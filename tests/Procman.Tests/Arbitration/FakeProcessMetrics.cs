using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

internal sealed class FakeProcessMetrics : IProcessMetrics
{
    public Dictionary<int, long> Resident { get; } = [];

    public long? ResidentBytes(int pid) => Resident.TryGetValue(pid, out var bytes) ? bytes : null;
}
