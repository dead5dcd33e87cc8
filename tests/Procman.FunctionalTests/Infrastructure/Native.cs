using System.Runtime.InteropServices;

namespace Procman.FunctionalTests.Infrastructure;

internal static partial class Native
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigUsr1 = 10;
    public const int SigUsr2 = 12;
    public const int SigStop = 19;
    public const int SigTerm = 15;
    public const int SigTtin = 21;
    public const int SigTtou = 22;
    public const int SigWinch = 28;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>Sets or clears FD_CLOEXEC: while cleared, every process started inherits the fd.</summary>
    public static void SetInheritable(int fd, bool inheritable)
    {
        const int GetFdFlags = 1;
        const int SetFdFlags = 2;
        const int CloseOnExec = 1;
        var flags = Fcntl(fd, GetFdFlags, 0);
        Fcntl(fd, SetFdFlags, inheritable ? flags & ~CloseOnExec : flags | CloseOnExec);
    }
}
