using Procman.Configuration;

namespace Procman.Arbitration;

/// <summary>How one generation of workers is started: its settings and the launcher that applies them.</summary>
internal sealed record WorkerPlan(ProcmanOptions Options, IWorkerLauncher Launcher);
