namespace Procman.Arbitration;

/// <summary>Starts worker processes; faked in unit tests.</summary>
internal interface IWorkerLauncher
{
    /// <summary>
    /// Starts a worker for <paramref name="slot"/>. Its channel messages and its exit are posted to the
    /// arbiter as events carrying <paramref name="key"/>.
    /// </summary>
    /// <param name="servingSlots">
    /// The slots with a worker ready to serve meanwhile: only while one serves the new worker's clients may the new
    /// one take its time to warm up until the JIT is quiet (<c>warmup_tier_up_timeout</c>); with nobody serving,
    /// clients wait for it. With a socket of the slot's own (<c>reuse_port</c>) that must be a worker of its slot.
    /// </param>
    IWorkerHandle Launch(long key, int slot, IReadOnlySet<int> servingSlots);
}
