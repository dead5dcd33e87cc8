using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

/// <summary>Answers with made-up stacks, or, when <see cref="Answer"/> is left unset by the test, never.</summary>
internal sealed class FakeWorkerDiagnostics : IWorkerDiagnostics
{
    public List<(int Pid, string Reason, string? Directory)> Requests { get; } = [];

    /// <summary>What the next diagnosis returns; null: it never completes (a worker that ignores the IPC).</summary>
    public WorkerDiagnosis? Answer { get; set; } = new("    3 threads: Thread.Sleep <- Misbehaviour.Block", null, null);

    public Task<WorkerDiagnosis> DiagnoseAsync(int pid, int slot, string reason, string? dumpDirectory, CancellationToken cancellationToken)
    {
        Requests.Add((pid, reason, dumpDirectory));
        if (Answer is not { } answer)
        {
            return new TaskCompletionSource<WorkerDiagnosis>().Task;
        }
        return Task.FromResult(dumpDirectory is null ? answer : answer with { DumpPath = Path.Combine(dumpDirectory, $"{pid}.dmp") });
    }
}
