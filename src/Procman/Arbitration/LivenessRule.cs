using System.Globalization;
using Procman.Protocol;

namespace Procman.Arbitration;

/// <summary>
/// Decides whether a ready worker is hung. A worker is hung when ordinary work queued in its thread pool has
/// waited for the timeout (the probe in the global queue, or work that stayed queued while the pool completed
/// less than that: see <see cref="PoolHistory"/>), or when it has sent nothing for the timeout. Nothing else counts: a busy worker
/// (full CPU, a long GC, one slow request) still runs queued work within milliseconds to a second, as the
/// measurements in docs/health.md show, while a starved pool leaves it waiting for tens of seconds.
/// </summary>
internal static class LivenessRule
{
    /// <param name="state">The process state letter of /proc/PID/stat, read only when the worker is silent.</param>
    public static Hang? Check(Worker worker, DateTimeOffset now, TimeSpan timeout, Func<char?> state)
    {
        var silent = now - worker.LastHeartbeat;
        if (silent >= timeout)
        {
            var letter = state();
            var last = worker.Health is { } report ? $"; last report {Seconds(silent)} s ago: {Numbers(report)}" : "";
            return letter is 'T' or 't' or 'D'
                ? new Hang(HangKind.NotRunning, $"{Describe(letter.Value)}, no heartbeat for {Seconds(silent)} s (timeout {Seconds(timeout)} s){last}")
                : new Hang(HangKind.NoHeartbeat, $"nothing for {Seconds(silent)} s (timeout {Seconds(timeout)} s) although the process is {(letter is { } l ? Describe(l) : "gone")}{last}");
        }
        if (worker.Health is not { } health)
        {
            return null;
        }
        var (span, queued, completed) = worker.Pool.Stalled();
        if (span >= timeout)
        {
            return new Hang(HangKind.ThreadPoolStarved, $"work items stayed queued for {Seconds(span)} s (at least {queued} all along) while the pool completed {completed} (timeout {Seconds(timeout)} s); {Numbers(health)}");
        }
        if (health.ProbeWaiting is var waiting && waiting > TimeSpan.Zero)
        {
            // The report is up to a heartbeat old: the probe has waited that much longer since, unless it ran
            // in between, which the next report will say.
            var waited = waiting + silent;
            if (waited >= timeout)
            {
                return new Hang(HangKind.ThreadPoolStarved, $"a work item queued {Seconds(waited)} s ago has not run (timeout {Seconds(timeout)} s); {Numbers(health)}");
            }
        }
        return null;
    }

    /// <summary>The numbers of one heartbeat, as an operator reads them.</summary>
    public static string Numbers(WorkerMessage.Heartbeat health) => string.Create(
        CultureInfo.InvariantCulture,
        $"{health.PoolThreads} pool threads, {health.QueuedItems} work items queued, {health.CompletedItems} completed in the last beat, " +
        $"last probe waited {health.ProbeDelay.TotalMilliseconds:0} ms{(health.ProbeWaiting > TimeSpan.Zero ? $" (one waiting for {health.ProbeWaiting.TotalMilliseconds:0} ms)" : "")}, {health.RequestsInFlight} requests in flight (oldest {Seconds(health.OldestRequest)} s), " +
        $"GC heap {health.GcHeapBytes / (1024.0 * 1024):0.#} MB, GC pause {health.GcPause.TotalMilliseconds:0} ms in the last beat");

    private static string Describe(char state) => state switch
    {
        'T' => "stopped (state T: SIGSTOP or a job-control stop)",
        't' => "stopped by a debugger (state t)",
        'D' => "blocked in the kernel (state D)",
        'Z' => "a zombie (state Z)",
        'R' => "running (state R)",
        'S' => "sleeping (state S)",
        _ => $"in state {state}",
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
