using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Procman.Protocol;

/// <summary>
/// Opens a log file the way the shell's <c>&gt;&gt;</c> does: with <c>O_APPEND</c>, so that the kernel puts every write
/// at the file's end as it is at that moment. <see cref="FileMode.Append"/> does not: .NET seeks to the end once,
/// then writes at its own position, so two workers writing one access log write over each other's lines, and
/// after a <c>copytruncate</c> rotation a writer carries on at its old offset, behind a hole of zeros.
/// </summary>
/// <remarks>
/// The file is created with mode 0666 less the umask, as the shell and .NET create files. Linux appends on an
/// O_APPEND descriptor whatever offset the stream asks for (pwrite(2), BUGS), so a line written in one call lands whole.
/// </remarks>
public static partial class AppendOnlyFile
{
    private const int WriteOnly = 0x1;
    private const int Create = 0x40;
    private const int Append = 0x400;
    private const int CloseOnExec = 0x80000;
    private const int CreateMode = 0b110_110_110;
    private const int NoSuchEntry = 2;
    private const int NotPermitted = 1;
    private const int AccessDenied = 13;
    private const int ReadOnlyFileSystem = 30;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags, int mode);

    /// <summary>Opens <paramref name="path"/> for appending, creating it if it is missing.</summary>
    /// <exception cref="UnauthorizedAccessException">The file or its directory may not be written.</exception>
    /// <exception cref="IOException">Any other reason the file cannot be opened (its directory is missing, say).</exception>
    public static FileStream Open(string path)
    {
        var fd = OpenFile(path, WriteOnly | Create | Append | CloseOnExec, CreateMode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var message = $"{path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            throw errno is AccessDenied or NotPermitted or ReadOnlyFileSystem
                ? new UnauthorizedAccessException(message)
                : errno == NoSuchEntry ? new DirectoryNotFoundException(message) : new IOException(message);
        }
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
    }
}
