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

    public static void SetCloseOnExec(int fd)
    {
        var flags = Fcntl(fd, GetFdFlags, 0);
        if (flags >= 0)
        {
            Fcntl(fd, SetFdFlags, flags | CloseOnExecFlag);
        }
    }
}
