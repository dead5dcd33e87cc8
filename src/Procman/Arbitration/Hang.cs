namespace Procman.Arbitration;

/// <summary>A worker found hung: the kind, and what was measured, in words.</summary>
internal sealed record Hang(HangKind Kind, string Details)
{
    public string KindName => Kind switch
    {
        HangKind.ThreadPoolStarved => "thread pool starved",
        HangKind.NotRunning => "process not running",
        _ => "no heartbeat at all",
    };

    public override string ToString() => $"{KindName}: {Details}";
}
