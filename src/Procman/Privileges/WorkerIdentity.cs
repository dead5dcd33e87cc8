using System.Globalization;
using Procman.Configuration;
using Procman.Protocol;

namespace Procman.Privileges;

/// <summary>
/// Who the workers run as: <c>user</c>, <c>group</c> and <c>initgroups</c> resolved against the user and group
/// databases once, in the master, into the numbers each worker switches to (docs/privileges.md).
/// </summary>
/// <param name="User">The user's database entry, when it has one (a bare numeric uid may not).</param>
internal sealed record WorkerIdentity(WorkerCredentials Credentials, UserEntry? User, string Description)
{
    /// <summary>
    /// The identity for these settings, or null when the workers keep procman's own: nothing was asked, or procman
    /// already runs as the user and group asked for.
    /// </summary>
    /// <param name="user">A user name, or a numeric uid.</param>
    /// <param name="group">A group name, or a numeric gid; unset, the user's primary group.</param>
    /// <param name="initGroups">Give the workers the user's supplementary groups from the group database; without it they get none.</param>
    /// <exception cref="ProcmanException">An unknown user or group, initgroups without a user, or a switch only root can make.</exception>
    public static WorkerIdentity? Resolve(string? user, string? group, bool initGroups, IUserDatabase users, ProcessIds current)
    {
        if (initGroups && user is null)
        {
            throw Refused($"{Settings.InitGroups} needs {Settings.User}: set user (-u) to the user whose groups the workers get, or drop --initgroups");
        }
        if (user is null && group is null)
        {
            return null;
        }

        var entry = user is null ? null : FindUser(user, users);
        var userId = entry?.Id ?? (user is null ? current.UserId : Number(user));
        uint groupId;
        string groupName;
        if (group is not null)
        {
            var groupEntry = FindGroup(group, users);
            groupId = groupEntry?.Id ?? Number(group);
            groupName = groupEntry?.Name ?? Display(groupId);
        }
        else if (user is null)
        {
            groupId = current.GroupId;
            groupName = users.FindGroup(groupId)?.Name ?? Display(groupId);
        }
        else
        {
            groupId = entry?.GroupId
                ?? throw Refused($"uid {userId} has no entry in the user database, so it has no primary group; set group (-g) too");
            groupName = users.FindGroup(groupId)?.Name ?? Display(groupId);
        }

        IReadOnlyList<uint> groups = [];
        if (initGroups)
        {
            groups = entry is null
                ? throw Refused($"{Settings.InitGroups} reads the user's groups from the group database, and uid {userId} has no entry in the user database; set user to a name from getent passwd, or drop --initgroups")
                : [.. users.GroupsOf(entry.Name, groupId).Distinct().Order()];
        }

        var userName = entry?.Name ?? Display(userId);
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"user {userName} (uid {userId}), group {groupName} (gid {groupId}), {(groups.Count == 0 ? "no supplementary groups" : "groups " + string.Join(',', groups))}");
        if (!current.IsRoot)
        {
            if (userId == current.UserId && groupId == current.GroupId)
            {
                // Already that user and group: there is nothing to switch, and the workers keep procman's own groups.
                return null;
            }
            throw Refused(
                $"running the workers as {userName} (uid {userId}) and group {groupName} (gid {groupId}) needs procman to start as root, and it runs as uid {current.UserId}, gid {current.GroupId}; start procman as root, or leave user and group unset to run the workers as procman's own user");
        }
        return new WorkerIdentity(new WorkerCredentials(userId, groupId, groups), entry, description);
    }

    private static UserEntry? FindUser(string user, IUserDatabase users)
    {
        if (IsNumber(user))
        {
            return users.FindUser(Number(user));
        }
        return users.FindUser(user)
            ?? throw Refused($"user '{user}' does not exist; give a user name from the user database (getent passwd) or a numeric uid");
    }

    private static GroupEntry? FindGroup(string group, IUserDatabase users)
    {
        if (IsNumber(group))
        {
            return users.FindGroup(Number(group));
        }
        return users.FindGroup(group)
            ?? throw Refused($"group '{group}' does not exist; give a group name from the group database (getent group) or a numeric gid");
    }

    // 4294967295 is not an id: to setuid(2) and setgid(2) it is -1, "leave it unchanged".
    private static bool IsNumber(string text) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != uint.MaxValue;

    private static uint Number(string text) => uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Display(uint id) => id.ToString(CultureInfo.InvariantCulture);

    private static ProcmanException Refused(string message) => new(message, ExitCodes.UsageError);
}
