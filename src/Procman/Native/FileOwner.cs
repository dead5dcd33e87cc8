using System.Runtime.InteropServices;

namespace Procman.Native;

/// <summary>A file's owner, group and mode (type bits included), read without following a symlink.</summary>
internal readonly partial record struct FileOwner(uint UserId, uint GroupId, uint Mode)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const uint TypeMask = 0xF000;
    private const uint DirectoryType = 0x4000;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    /// <summary>Whether it is a directory itself, not a symlink to one.</summary>
    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    /// <summary>The permission bits, 0o7777 at most.</summary>
    public uint Permissions => Mode & 0xFFF;

    public static unsafe FileOwner? Of(string path)
    {
        // struct statx has one layout on every architecture: stx_uid at 20, stx_gid at 24, stx_mode (16 bits) at 28.
        var buffer = stackalloc byte[256];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            return null;
        }
        return new FileOwner(*(uint*)(buffer + 20), *(uint*)(buffer + 24), *(ushort*)(buffer + 28));
    }
}
