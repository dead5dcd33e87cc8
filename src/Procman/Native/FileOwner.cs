namespace Procman.Native;

/// <summary>A file's owner, group and mode (type bits included), read without following a symlink.</summary>
internal readonly record struct FileOwner(uint UserId, uint GroupId, uint Mode)
{
    private const uint TypeMask = 0xF000;
    private const uint DirectoryType = 0x4000;

    /// <summary>Whether it is a directory itself, not a symlink to one.</summary>
    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    /// <summary>The permission bits, 0o7777 at most.</summary>
    public uint Permissions => Mode & 0xFFF;

    public static FileOwner? Of(string path)
        => FileStatus.Of(path) is { } status ? new FileOwner(status.UserId, status.GroupId, status.Mode) : null;
}
