namespace Procman.Arbitration;

/// <summary>
/// Decides how long to wait before replacing a crashed worker. The first crash of a slot is replaced at
/// once; each further consecutive crash doubles the delay up to a cap; a worker that stayed ready for the
/// stable period resets its slot's count. This keeps a crash loop from burning the machine while a
/// one-off crash costs no capacity.
/// </summary>
internal sealed class RestartPolicy(TimeProvider time)
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StablePeriod = TimeSpan.FromSeconds(30);

    private readonly Dictionary<int, SlotHistory> _slots = [];

    /// <summary>Records that the worker in <paramref name="slot"/> became ready.</summary>
    public void OnReady(int slot) => History(slot).ReadySince = time.GetUtcNow();

    /// <summary>Records a crash in <paramref name="slot"/> and returns how long to wait before replacing it.</summary>
    public TimeSpan OnCrash(int slot)
    {
        var history = History(slot);
        var now = time.GetUtcNow();
        if (history.ReadySince is { } readySince && now - readySince >= StablePeriod)
        {
            history.ConsecutiveCrashes = 0;
        }
        history.ReadySince = null;
        history.ConsecutiveCrashes++;
        return DelayFor(history.ConsecutiveCrashes);
    }

    /// <summary>The consecutive crashes recorded for a slot since it was last stable.</summary>
    public int ConsecutiveCrashes(int slot) => History(slot).ConsecutiveCrashes;

    /// <summary>The delay before replacing the <paramref name="crashes"/>-th consecutive crash: 0, 1 s, 2 s, 4 s, … up to <see cref="MaxDelay"/>.</summary>
    public static TimeSpan DelayFor(int crashes)
    {
        if (crashes <= 1)
        {
            return TimeSpan.Zero;
        }
        var exponent = Math.Min(crashes - 2, 30);
        var delay = FirstDelay * Math.Pow(2, exponent);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    private SlotHistory History(int slot)
    {
        if (!_slots.TryGetValue(slot, out var history))
        {
            history = new SlotHistory();
            _slots[slot] = history;
        }
        return history;
    }

    private sealed class SlotHistory
    {
        public int ConsecutiveCrashes { get; set; }

        public DateTimeOffset? ReadySince { get; set; }
    }
}
