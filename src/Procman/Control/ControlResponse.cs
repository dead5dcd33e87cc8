namespace Procman.Control;

/// <summary>The one answer to a <see cref="ControlRequest"/>: ok with a message or a result, or the reason it was refused.</summary>
internal sealed record ControlResponse
{
    public int Version { get; init; } = ControlRequest.CurrentVersion;

    public bool Ok { get; init; }

    public string? Message { get; init; }

    public string? Error { get; init; }

    public MasterSnapshot? Status { get; init; }

    public WorkerDump? Dump { get; init; }

    public static ControlResponse Done(string message) => new() { Ok = true, Message = message };

    public static ControlResponse Refused(string error) => new() { Ok = false, Error = error };

    public static ControlResponse Of(MasterSnapshot status) => new() { Ok = true, Status = status };
}
