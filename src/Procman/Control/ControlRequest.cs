namespace Procman.Control;

/// <summary>
/// One request on the control socket (version 1 of the protocol, docs/control.md): a command and the
/// arguments that command takes; the others are left out.
/// </summary>
internal sealed record ControlRequest
{
    public const int CurrentVersion = 1;

    public const string Status = "status";
    public const string Reload = "reload";
    public const string Scale = "scale";
    public const string Recycle = "recycle";
    public const string Stop = "stop";
    public const string Dump = "dump";

    public int Version { get; init; } = CurrentVersion;

    public required string Command { get; init; }

    /// <summary>reload: answer once the reload completed or failed, not when it started.</summary>
    public bool Wait { get; init; }

    /// <summary>scale: the worker count to reach.</summary>
    public int? Workers { get; init; }

    /// <summary>scale: workers to add (positive) or remove (negative).</summary>
    public int? Delta { get; init; }

    /// <summary>recycle, dump: the worker's slot.</summary>
    public int? Slot { get; init; }

    /// <summary>recycle: every ready worker, one after the other.</summary>
    public bool All { get; init; }

    /// <summary>stop: the quick stop of SIGINT rather than the graceful one of SIGTERM.</summary>
    public bool Quick { get; init; }

    /// <summary>dump: also write a dump file into this directory.</summary>
    public string? DumpDir { get; init; }
}
