namespace Procman.Arbitration;

/// <summary>How a worker process ended, from its wait status: an exit code, or the signal that killed it.</summary>
/// <remarks>
/// The two are apart in the wait status, and must stay apart: a process may well exit 137 or 143 by itself, and
/// the .NET host exits 150 when a framework the app needs is missing, which is not SIGTTOU (a signal that never
/// kills). Both null: the status could not be read (another reaper took it).
/// </remarks>
internal readonly record struct WorkerExit(int? Code, int? Signal = null, bool CoreDumped = false)
{
    /// <summary>The .NET host's exit code when a framework the app needs is not installed (0x80008096, cut to a byte).</summary>
    public const int FrameworkMissing = 150;

    public static WorkerExit Killed(int signal, bool coreDumped = false) => new(null, signal, coreDumped);

    public static readonly WorkerExit Unknown = new(null);

    public override string ToString() => (Code, Signal) switch
    {
        (int code, _) => $"exit code {code}",
        (_, int signal) => $"killed by {Native.Signal.Name(signal)}{(CoreDumped ? " (core dumped)" : "")}",
        _ => "exit status unknown",
    };
}
