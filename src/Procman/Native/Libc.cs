using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Procman.Native;

/// <summary>The few libc calls .NET does not expose.</summary>
internal static partial class Libc
{
    public const int AfUnix = 1;
    public const int SockStream = 1;
    public const int SockCloexec = 0x80000;

    private const int GetFdFlags = 1;
    private const int SetFdFlags = 2;
    private const int CloseOnExecFlag = 1;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static unsafe partial int SocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int SocketNative(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static unsafe partial int BindNative(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetParentProcessId();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LChown(string path, uint user, uint group);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int FChown(nint fd, uint user, uint group);

    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    private const int WriteAccess = 2;
    private const int SearchAccess = 1;

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Access(string path, int mode);

    /// <summary>Whether this process may create a file in <paramref name="directory"/> (write and search permission).</summary>
    public static bool CanCreateIn(string directory) => Access(directory, WriteAccess | SearchAccess) == 0;

    [LibraryImport("libc", EntryPoint = "prctl", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Prctl(int option, string argument, nint unused1, nint unused2, nint unused3);

    private const int PrSetName = 15;

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static unsafe partial int SigAction(int signal, byte* action, byte* previous);

    // Larger than struct sigaction on every Linux ABI; its first field, on all of them, is the handler.
    private const int SigActionSize = 256;
    private const nint SigIgn = 1;

    /// <summary>Sets or clears FD_CLOEXEC: a cleared fd is inherited, under the same number, by every child started afterwards.</summary>
    public static void SetInheritable(int fd, bool inheritable)
    {
        var flags = Fcntl(fd, GetFdFlags, 0);
        if (flags < 0)
        {
            throw new IOException($"fcntl(F_GETFD) on fd {fd} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        var updated = inheritable ? flags & ~CloseOnExecFlag : flags | CloseOnExecFlag;
        if (Fcntl(fd, SetFdFlags, updated) < 0)
        {
            throw new IOException($"fcntl(F_SETFD) on fd {fd} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static bool IsOpen(int fd) => Fcntl(fd, GetFdFlags, 0) >= 0;

    /// <summary>Whether an open fd lacks FD_CLOEXEC, so that every child started from now on inherits it.</summary>
    public static bool IsInheritable(int fd) => Fcntl(fd, GetFdFlags, 0) is var flags && flags >= 0 && (flags & CloseOnExecFlag) == 0;

    /// <summary>Creates a connected pair of AF_UNIX stream sockets, both close-on-exec.</summary>
    public static unsafe (int First, int Second) CreateSocketPair()
    {
        var fds = stackalloc int[2];
        if (SocketPair(AfUnix, SockStream | SockCloexec, 0, fds) != 0)
        {
            throw new IOException($"socketpair failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return (fds[0], fds[1]);
    }

    /// <summary>A close-on-exec unix stream socket bound to <paramref name="path"/>, not yet listening.</summary>
    /// <exception cref="SocketException">socket(2) or bind(2) failed.</exception>
    public static unsafe int BindUnixSocket(string path)
    {
        // struct sockaddr_un: a 16-bit family, then the path, NUL-terminated, in 108 bytes.
        const int PathCapacity = 108;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= PathCapacity)
        {
            throw new SocketException((int)SocketError.InvalidArgument);
        }
        var address = stackalloc byte[2 + PathCapacity];
        new Span<byte>(address, 2 + PathCapacity).Clear();
        *(ushort*)address = AfUnix;
        bytes.CopyTo(new Span<byte>(address + 2, PathCapacity));
        var fd = SocketNative(AfUnix, SockStream | SockCloexec, 0);
        if (fd < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        if (BindNative(fd, address, 2 + bytes.Length + 1) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            CloseNative(fd);
            throw new SocketException(error);
        }
        return fd;
    }

    /// <summary>Gives an ignored signal its default action again; a handled or default one is left as it is.</summary>
    public static unsafe void Unignore(int signal)
    {
        var current = stackalloc byte[SigActionSize];
        if (SigAction(signal, null, current) == 0 && *(nint*)current == SigIgn)
        {
            var defaultAction = stackalloc byte[SigActionSize];
            new Span<byte>(defaultAction, SigActionSize).Clear();
            SigAction(signal, defaultAction, null);
        }
    }

    /// <summary>Sends a signal; returns false when the process no longer exists.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    public static void Close(int fd) => CloseNative(fd);

    /// <summary>Gives the file at <paramref name="path"/> (a symlink itself, never its target) to a user and group.</summary>
    /// <exception cref="IOException">chown failed.</exception>
    public static void ChangeOwner(string path, uint user, uint group)
    {
        if (LChown(path, user, group) != 0)
        {
            throw new IOException($"cannot give {path} to uid {user}, gid {group}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Gives an open file to a user and group: the file procman opened, whatever is at its path by now.</summary>
    /// <exception cref="IOException">fchown failed.</exception>
    public static void ChangeOwner(Microsoft.Win32.SafeHandles.SafeFileHandle file, string path, uint user, uint group)
    {
        if (FChown(file.DangerousGetHandle(), user, group) != 0)
        {
            throw new IOException($"cannot give {path} to uid {user}, gid {group}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Names the calling thread (15 bytes at most are kept); on the main thread, the name ps and top show.</summary>
    public static void SetThreadName(string name) => Prctl(PrSetName, name, 0, 0, 0);
}
