using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

internal sealed class FakeDumpWriter : IDumpWriter
{
    public List<(int Pid, string Reason)> Requests { get; } = [];

    public Task<string> WriteAsync(int pid, int slot, string directory, string reason, CancellationToken cancellationToken)
    {
        Requests.Add((pid, reason));
        return Task.FromResult(Path.Combine(directory, $"{pid}.dmp"));
    }
}
