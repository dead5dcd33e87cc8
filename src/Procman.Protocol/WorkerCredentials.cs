using System.Globalization;

namespace Procman.Protocol;

/// <summary>
/// The user, group and supplementary groups a worker switches to before any of the app's code runs
/// (procman's <c>user</c>, <c>group</c> and <c>initgroups</c>), as numbers the master resolved once.
/// </summary>
/// <param name="Groups">The supplementary groups; empty leaves the worker none.</param>
public sealed record WorkerCredentials(uint UserId, uint GroupId, IReadOnlyList<uint> Groups)
{
    /// <summary>UID:GID:G1,G2 (no groups after the second colon when there are none).</summary>
    public string Format()
        => string.Create(CultureInfo.InvariantCulture, $"{UserId}:{GroupId}:{string.Join(',', Groups.Select(group => group.ToString(CultureInfo.InvariantCulture)))}");

    /// <summary>Reads <see cref="Format"/>'s text back, or null when it is not in that form.</summary>
    public static WorkerCredentials? Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !TryNumber(parts[0], out var user) || !TryNumber(parts[1], out var group))
        {
            return null;
        }
        var groups = new List<uint>();
        foreach (var item in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryNumber(item, out var supplementary))
            {
                return null;
            }
            groups.Add(supplementary);
        }
        return new WorkerCredentials(user, group, groups);
    }

    public bool Equals(WorkerCredentials? other)
        => other is not null && UserId == other.UserId && GroupId == other.GroupId && Groups.SequenceEqual(other.Groups);

    public override int GetHashCode() => HashCode.Combine(UserId, GroupId, Groups.Count);

    private static bool TryNumber(string text, out uint value) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
