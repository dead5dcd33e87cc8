namespace Procman.Arbitration;

/// <summary>Captures the state of a hung worker before it is killed; faked in unit tests.</summary>
internal interface IDumpWriter
{
    /// <summary>Writes what is known about the worker into <paramref name="directory"/> and returns the dump's path.</summary>
    Task<string> WriteAsync(int pid, int slot, string directory, string reason, CancellationToken cancellationToken);
}
