namespace Procman.Arbitration;

/// <summary>Starts worker processes; faked in unit tests.</summary>
internal interface IWorkerLauncher
{
    /// <summary>
    /// Starts a worker for <paramref name="slot"/>. Its channel messages and its exit are posted to the
    /// arbiter as events carrying <paramref name="key"/>.
    /// </summary>
    IWorkerHandle Launch(long key, int slot);
}
