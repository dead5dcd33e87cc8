namespace Procman.Arbitration;

/// <summary>Finds out what a hung worker is doing before it is killed; faked in unit tests.</summary>
internal interface IWorkerDiagnostics
{
    /// <summary>
    /// Reads the worker's managed stacks, and keeps the dump they were read from in
    /// <paramref name="dumpDirectory"/> when one is given. Never throws: what failed is in the result.
    /// </summary>
    Task<WorkerDiagnosis> DiagnoseAsync(int pid, int slot, string reason, string? dumpDirectory, CancellationToken cancellationToken);
}
