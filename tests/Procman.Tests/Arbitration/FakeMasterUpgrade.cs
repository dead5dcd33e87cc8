using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

/// <summary>An <see cref="IMasterUpgrade"/> that records what the arbiter asked of it.</summary>
internal sealed class FakeMasterUpgrade : IMasterUpgrade
{
    public const int NewMasterPid = 4242;

    public string? Obstacle { get; set; }

    /// <summary>Start, HandOver, Abandon, Kill, in the order asked.</summary>
    public List<string> Calls { get; } = [];

    public int Start()
    {
        Calls.Add(nameof(Start));
        return NewMasterPid;
    }

    public void HandOver() => Calls.Add(nameof(HandOver));

    public void Abandon() => Calls.Add(nameof(Abandon));

    public void Kill() => Calls.Add(nameof(Kill));
}
