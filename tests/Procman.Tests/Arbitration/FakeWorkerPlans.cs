using Procman.Arbitration;
using Procman.Configuration;

namespace Procman.Tests.Arbitration;

/// <summary>Plans over one fake launcher; a test sets what the next reload reads.</summary>
internal sealed class FakeWorkerPlans(ProcmanOptions options, IWorkerLauncher launcher) : IWorkerPlans
{
    public WorkerPlan Current { get; private set; } = new(options, launcher);

    /// <summary>The settings the next reload reads; the current ones when null.</summary>
    public ProcmanOptions? NextOptions { get; set; }

    /// <summary>When set, the next reload finds the configuration invalid for this reason.</summary>
    public string? NextError { get; set; }

    public List<WorkerPlan> Abandoned { get; } = [];

    public List<int> Released { get; } = [];

    public WorkerPlan? Prepare(out string? error)
    {
        error = NextError;
        return error is null ? new WorkerPlan(NextOptions ?? Current.Options, Current.Launcher) : null;
    }

    public void Commit(WorkerPlan plan) => Current = plan;

    public void Abandon(WorkerPlan plan) => Abandoned.Add(plan);

    public void Release(int slot) => Released.Add(slot);
}
