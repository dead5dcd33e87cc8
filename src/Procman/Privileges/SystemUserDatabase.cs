using Procman.Native;

namespace Procman.Privileges;

/// <summary>This host's user and group databases, read through libc.</summary>
internal sealed class SystemUserDatabase : IUserDatabase
{
    public UserEntry? FindUser(string name) => Passwd.FindUser(name) is var (n, id, group, home) ? new UserEntry(n, id, group, home) : null;

    public UserEntry? FindUser(uint id) => Passwd.FindUser(id) is var (n, uid, group, home) ? new UserEntry(n, uid, group, home) : null;

    public GroupEntry? FindGroup(string name) => Passwd.FindGroup(name) is var (n, id) ? new GroupEntry(n, id) : null;

    public GroupEntry? FindGroup(uint id) => Passwd.FindGroup(id) is var (n, gid) ? new GroupEntry(n, gid) : null;

    public IReadOnlyList<uint> GroupsOf(string user, uint primaryGroup) => Passwd.GroupsOf(user, primaryGroup);
}
