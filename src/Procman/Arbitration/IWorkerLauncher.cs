namespace Procman.Arbitration;

/// <summary>Starts worker processes; faked in unit tests.</summary>
internal interface IWorkerLauncher
{
    /// <summary>
    /// Starts a worker for <paramref name="slot"/>. Its channel messages and its exit are posted to the
    /// arbiter as events carrying <paramref name="key"/>.
    /// </summary>
    /// <param name="othersServing">
    /// Whether another worker is ready to serve meanwhile: only then may the new one take its time to warm up until
    /// the JIT is quiet (<c>warmup_tier_up_timeout</c>); with nobody serving, clients wait for it.
    /// </param>
    IWorkerHandle Launch(long key, int slot, bool othersServing);
}
