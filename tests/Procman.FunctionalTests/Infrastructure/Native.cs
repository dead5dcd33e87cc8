using System.Runtime.InteropServices;

namespace Procman.FunctionalTests.Infrastructure;

internal static partial class Native
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigUsr1 = 10;
    public const int SigStop = 19;
    public const int SigTerm = 15;
    public const int SigTtin = 21;
    public const int SigTtou = 22;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;
}
