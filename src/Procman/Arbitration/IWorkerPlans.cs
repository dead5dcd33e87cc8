namespace Procman.Arbitration;

/// <summary>
/// The current worker plan, and the next one a reload prepares from the configuration read again.
/// Faked in unit tests.
/// </summary>
internal interface IWorkerPlans
{
    WorkerPlan Current { get; }

    /// <summary>
    /// Reads the configuration again and prepares the next plan (binding any new address). Returns null,
    /// with the reason, when the configuration is invalid: the current plan then stays in force.
    /// </summary>
    WorkerPlan? Prepare(out string? error);

    /// <summary>The reload succeeded: <paramref name="plan"/> becomes current; what only the old plan used is released.</summary>
    void Commit(WorkerPlan plan);

    /// <summary>The reload failed: what only <paramref name="plan"/> used is released.</summary>
    void Abandon(WorkerPlan plan);

    /// <summary>A slot was removed (SIGTTOU): what the master kept for it across its workers is released.</summary>
    void Release(int slot);
}
