namespace Procman.Native;

/// <summary>A file's device and inode: what tells the file procman created from another one put at the same path.</summary>
internal readonly record struct FileIdentity(uint DeviceMajor, uint DeviceMinor, ulong Inode)
{
    /// <summary>The identity of the file at <paramref name="path"/> (not following a symlink), or null if there is none.</summary>
    public static FileIdentity? Of(string path)
        => FileStatus.Of(path) is { } status ? new FileIdentity(status.DeviceMajor, status.DeviceMinor, status.Inode) : null;
}
