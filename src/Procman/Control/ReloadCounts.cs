namespace Procman.Control;

/// <summary>Reloads since the start, by result, and how long the completed ones took.</summary>
/// <param name="Completed">Every new worker became ready and the old ones were retired.</param>
/// <param name="Failed">A new worker did not boot: the old ones kept serving.</param>
/// <param name="Refused">The configuration did not load: nothing was started.</param>
internal sealed record ReloadCounts(long Completed, long Failed, long Refused, double DurationSecondsSum, double? LastDurationSeconds)
{
    public static readonly ReloadCounts None = new(0, 0, 0, 0, null);
}
