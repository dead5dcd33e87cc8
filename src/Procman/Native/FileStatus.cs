using System.Runtime.InteropServices;

namespace Procman.Native;

/// <summary>What statx(2) says of a path, not following a symlink: the parts procman reads.</summary>
internal readonly partial record struct FileStatus(uint UserId, uint GroupId, uint Mode, uint DeviceMajor, uint DeviceMinor, ulong Inode)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    /// <summary>The status of the file at <paramref name="path"/>, or null if there is none.</summary>
    public static unsafe FileStatus? Of(string path)
    {
        // struct statx has one layout on every architecture: stx_uid at 20, stx_gid at 24, stx_mode (16 bits) at 28,
        // stx_ino at 32, stx_dev_major/minor at 136/140.
        var buffer = stackalloc byte[256];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            return null;
        }
        return new FileStatus(*(uint*)(buffer + 20), *(uint*)(buffer + 24), *(ushort*)(buffer + 28), *(uint*)(buffer + 136), *(uint*)(buffer + 140), *(ulong*)(buffer + 32));
    }
}
