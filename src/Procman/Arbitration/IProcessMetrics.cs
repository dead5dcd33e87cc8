namespace Procman.Arbitration;

/// <summary>What the master can read about a worker process from the outside; faked in unit tests.</summary>
internal interface IProcessMetrics
{
    /// <summary>The resident set size in bytes, or null when the process is gone.</summary>
    long? ResidentBytes(int pid);

    /// <summary>The state letter of /proc/PID/stat (R, S, D, T, t, Z, ...), or null when the process is gone.</summary>
    char? State(int pid);

    /// <summary>Resident and proportional set size, or null when the process is gone.</summary>
    ProcessMemory? Memory(int pid);
}
