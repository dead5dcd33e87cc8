using Procman.Arbitration;

namespace Procman.Control;

/// <summary>
/// Each worker's RSS and PSS read at most once per <see cref="MaxAge"/>, whoever asks: reading smaps_rollup walks
/// the whole address space of the process (and takes its memory-map lock), so a dashboard scraping /metrics, a
/// <c>watch procman status</c> and the meter together must not make the master read it several times a second.
/// </summary>
internal sealed class SampledMemory(IProcessMetrics metrics, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Dictionary<int, (ProcessMemory? Memory, long ReadAt)> _samples = [];
    private readonly Lock _lock = new();

    /// <summary>The memory of each of these processes, read now or at most <see cref="MaxAge"/> ago; null for one that is gone.</summary>
    /// <remarks>Processes not asked about are forgotten, so a pid reused by a later worker is read afresh.</remarks>
    public IReadOnlyDictionary<int, ProcessMemory?> Of(IReadOnlyCollection<int> pids)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var result = new Dictionary<int, ProcessMemory?>(pids.Count);
            foreach (var pid in pids)
            {
                if (!_samples.TryGetValue(pid, out var sample) || time.GetElapsedTime(sample.ReadAt, now) >= MaxAge)
                {
                    sample = (metrics.Memory(pid), now);
                    _samples[pid] = sample;
                }
                result[pid] = sample.Memory;
            }
            foreach (var gone in _samples.Keys.Where(pid => !result.ContainsKey(pid)).ToArray())
            {
                _samples.Remove(gone);
            }
            return result;
        }
    }
}
