using Procman.Privileges;

namespace Procman.Tests.Privileges;

/// <summary>A user and group database in memory: root, www-data (also in adm and ssl-cert), nobody, and their groups.</summary>
internal sealed class FakeUserDatabase : IUserDatabase
{
    private static readonly UserEntry[] Users =
    [
        new("root", 0, 0, "/root"),
        new("www-data", 33, 33, "/var/www"),
        new("nobody", 65534, 65534, "/nonexistent"),
    ];

    private static readonly GroupEntry[] Groups = [new("root", 0), new("adm", 4), new("www-data", 33), new("ssl-cert", 110), new("nogroup", 65534)];

    private static readonly Dictionary<string, uint[]> Members = new() { ["www-data"] = [4, 110] };

    public UserEntry? FindUser(string name) => Users.FirstOrDefault(user => user.Name == name);

    public UserEntry? FindUser(uint id) => Users.FirstOrDefault(user => user.Id == id);

    public GroupEntry? FindGroup(string name) => Groups.FirstOrDefault(group => group.Name == name);

    public GroupEntry? FindGroup(uint id) => Groups.FirstOrDefault(group => group.Id == id);

    public IReadOnlyList<uint> GroupsOf(string user, uint primaryGroup) => [primaryGroup, .. Members.GetValueOrDefault(user, [])];
}
