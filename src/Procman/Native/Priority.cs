using System.Globalization;
using System.Runtime.InteropServices;

namespace Procman.Native;

/// <summary>
/// Nice values. On Linux a nice value belongs to a thread, not to a process: setpriority(PRIO_PROCESS) on a tid
/// changes that thread alone (who = 0: the calling thread), and a new thread or process starts with the value of
/// the thread that created it.
/// </summary>
internal static partial class Priority
{
    private const int PrioProcess = 0;
    private const int NoSuchProcess = 3;

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int nice);

    /// <summary>The nice value of thread <paramref name="tid"/> (a process's pid is its main thread's tid); null if it is gone.</summary>
    public static int? Of(int tid)
    {
        Marshal.SetLastPInvokeError(0);
        var nice = GetPriority(PrioProcess, tid);
        // -1 is a nice value too: only errno tells a failure.
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    /// <summary>The calling thread's nice value.</summary>
    public static int OfCallingThread() => GetPriority(PrioProcess, 0);

    /// <summary>Sets the calling thread's nice value; false when not permitted (raising it needs CAP_SYS_NICE or RLIMIT_NICE).</summary>
    public static bool SetCallingThread(int nice) => SetPriority(PrioProcess, 0, nice) == 0;

    /// <summary>Sets every thread of <paramref name="pid"/> whose nice value is not <paramref name="nice"/> to it.</summary>
    /// <returns>How many threads were changed; 0 once none is left to change (threads that ended meanwhile are skipped).</returns>
    /// <exception cref="UnauthorizedAccessException">The kernel refused (EPERM or EACCES).</exception>
    public static int SetThreads(int pid, int nice)
    {
        var changed = 0;
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task").ToArray();
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException)
        {
            return 0;
        }
        foreach (var task in tasks)
        {
            if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) || Of(tid) is not { } current || current == nice)
            {
                continue;
            }
            if (SetPriority(PrioProcess, tid, nice) == 0)
            {
                changed++;
            }
            else if (Marshal.GetLastPInvokeError() is var error && error != NoSuchProcess)
            {
                throw new UnauthorizedAccessException($"setpriority on thread {tid} of pid {pid}: errno {error}");
            }
        }
        return changed;
    }
}
