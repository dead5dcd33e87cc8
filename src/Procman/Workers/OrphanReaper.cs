using System.Globalization;
using System.Runtime.InteropServices;
using Procman.Native;

namespace Procman.Workers;

/// <summary>
/// As PID 1 (a container's entrypoint), procman inherits every orphaned process of the container and must reap
/// it when it exits, or it stays a zombie. On SIGCHLD, every exited child that procman did not start itself is
/// reaped; procman's own workers are left to the threads that wait for them and report their exit.
/// </summary>
/// <remarks>
/// procman starts its workers with posix_spawn, not <see cref="System.Diagnostics.Process"/>, so the runtime's own
/// child reaping, which only runs once a <see cref="System.Diagnostics.Process"/> was started, cannot be relied on.
/// A zombie re-parented to PID 1 also raises SIGCHLD there, so nothing is left behind between signals.
/// </remarks>
internal sealed class OrphanReaper : IDisposable
{
    private readonly PosixSignalRegistration _registration;

    private OrphanReaper()
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => Reap());
    }

    /// <summary>A reaper when procman is PID 1; null otherwise, where orphans go to the real init.</summary>
    public static OrphanReaper? StartIfInit() => Environment.ProcessId == 1 ? new OrphanReaper() : null;

    public void Dispose() => _registration.Dispose();

    private static void Reap()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsExitedChild(directory))
            {
                ChildProcess.UnlessWaited(pid, PosixSpawn.ReapIfExited);
            }
        }
    }

    /// <summary>/proc/PID/stat reads "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so parse after the last ')'.</summary>
    private static bool IsExitedChild(string directory)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(directory, "stat"));
        }
        catch (IOException)
        {
            return false;
        }
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && fields[0] == "Z" && fields[1] == "1";
    }
}
