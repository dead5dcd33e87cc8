namespace Procman.Privileges;

/// <summary>A group in the group database.</summary>
internal sealed record GroupEntry(string Name, uint Id);
