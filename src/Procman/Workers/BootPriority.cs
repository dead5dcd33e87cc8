using Procman.Native;

namespace Procman.Workers;

/// <summary>
/// boot_nice: a worker starts at a lower CPU priority, so that while it boots (JIT, the app's start-up) the workers
/// serving meanwhile keep the CPU, and its threads go back to the master's priority once it is ready.
/// </summary>
/// <remarks>
/// The worker inherits the nice value of the master thread that starts it, and the runtime's threads inherit the
/// main thread's: so the starting thread lowers its own value around the spawn call
/// (<see cref="Native.PosixSpawn.Start"/>), and every thread of the worker is lowered before the runtime has
/// started one. Going back up needs the right to raise a priority (root with
/// CAP_SYS_NICE, or RLIMIT_NICE); without it a worker would stay niced for life, so the setting is refused.
/// </remarks>
internal sealed class BootPriority
{
    // Going back passes over the worker's threads again while a pass still changed one: a thread created during
    // a pass by a thread not yet changed starts lowered too. A booted runtime creates few threads; this bounds it.
    private const int RestorePasses = 4;

    private BootPriority(int boot, int normal)
    {
        Boot = boot;
        Normal = normal;
    }

    /// <summary>The nice value a worker boots at.</summary>
    public int Boot { get; }

    /// <summary>The master's own nice value, which a ready worker goes back to.</summary>
    public int Normal { get; }

    /// <summary>For <paramref name="bootNice"/>; null when there is nothing to do (0, or the master is already that nice).</summary>
    public static BootPriority? For(int bootNice)
    {
        var normal = Priority.Of(Environment.ProcessId) ?? 0;
        return bootNice > normal ? new BootPriority(bootNice, normal) : null;
    }

    /// <summary>Why <paramref name="bootNice"/> cannot be honoured here, or null.</summary>
    public static string? Check(int bootNice)
    {
        if (For(bootNice) is not { } priority)
        {
            return null;
        }
        // Tried on a thread of its own, which ends with the trial: no master thread is left lowered when it fails.
        var restored = false;
        var trial = new Thread(() => restored = Priority.SetCallingThread(priority.Boot) && Priority.SetCallingThread(priority.Normal))
        {
            IsBackground = true,
            Name = "procman boot_nice check",
        };
        trial.Start();
        trial.Join();
        return restored ? null
            : $"boot_nice {bootNice}: procman cannot raise a worker's priority back to nice {priority.Normal} once it is ready " +
              "(that needs root with CAP_SYS_NICE, or RLIMIT_NICE: LimitNICE= in a systemd unit, --cap-add SYS_NICE for a container); " +
              "grant it, or set boot_nice to 0";
    }

    /// <summary>Puts every thread of the ready worker <paramref name="pid"/> back to <see cref="Normal"/>.</summary>
    /// <returns>False when the kernel refused (the right to raise a priority was lost since the start).</returns>
    public bool Restore(int pid)
    {
        try
        {
            for (var pass = 0; pass < RestorePasses; pass++)
            {
                if (Priority.SetThreads(pid, Normal) == 0)
                {
                    break;
                }
            }
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
