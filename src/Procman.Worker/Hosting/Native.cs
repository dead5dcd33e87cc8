using System.Runtime.InteropServices;

namespace Procman.Worker.Hosting;

/// <summary>The libc calls a worker needs.</summary>
internal static partial class Native
{
    private const int GetFdFlags = 1;
    private const int SetFdFlags = 2;
    private const int CloseOnExecFlag = 1;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    private const int PrSetName = 15;

    [LibraryImport("libc", EntryPoint = "prctl", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Prctl(int option, string argument, nint unused1, nint unused2, nint unused3);

    /// <summary>Names the calling thread (15 bytes at most are kept).</summary>
    public static void SetThreadName(string name) => Prctl(PrSetName, name, 0, 0, 0);

    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSocketOption(int fd, int level, int name, ref int value, ref int length);

    /// <summary>Whether a socket has SO_REUSEPORT set: then it is this worker's own accept queue, not a shared one.</summary>
    public static bool HasReusePort(int fd)
    {
        var value = 0;
        var length = sizeof(int);
        return GetSocketOption(fd, SolSocket, SoReusePort, ref value, ref length) == 0 && value != 0;
    }

    public static void SetCloseOnExec(int fd)
    {
        var flags = Fcntl(fd, GetFdFlags, 0);
        if (flags >= 0)
        {
            Fcntl(fd, SetFdFlags, flags | CloseOnExecFlag);
        }
    }
}
