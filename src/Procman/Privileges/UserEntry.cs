namespace Procman.Privileges;

/// <summary>A user in the user database: what a worker running as it needs (its primary group, its home).</summary>
internal sealed record UserEntry(string Name, uint Id, uint GroupId, string Home);
