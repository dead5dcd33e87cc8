namespace Procman.Privileges;

/// <summary>The user and group databases (passwd and group through NSS); a fake in the unit tests.</summary>
internal interface IUserDatabase
{
    UserEntry? FindUser(string name);

    UserEntry? FindUser(uint id);

    GroupEntry? FindGroup(string name);

    GroupEntry? FindGroup(uint id);

    /// <summary>Every group <paramref name="user"/> is a member of, <paramref name="primaryGroup"/> included: what initgroups(3) gives it.</summary>
    IReadOnlyList<uint> GroupsOf(string user, uint primaryGroup);
}
