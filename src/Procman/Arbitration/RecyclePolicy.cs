using System.Globalization;
using Procman.Configuration;

namespace Procman.Arbitration;

/// <summary>
/// When a worker is due to be replaced although it is healthy: after max_requests, after
/// max_worker_lifetime, or when its memory stays over max_worker_memory.
/// </summary>
internal sealed class RecyclePolicy(Random random)
{
    public static readonly TimeSpan MemorySampleInterval = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive samples over the limit before a worker is recycled: one spike (a big request) is not enough.</summary>
    public const int MemoryStrikes = 3;

    /// <summary>After a replacement failed to boot, the worker it was to replace is not recycled again for this long.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    /// <summary>How each reason <see cref="DueReason"/> gives begins: the restart reasons the metrics count are told apart by it.</summary>
    public const string RequestsReason = "max_requests";
    public const string MemoryReason = "max_worker_memory";
    public const string LifetimeReason = "max_worker_lifetime";
    public const string AskedReason = "asked by procman recycle";

    /// <summary>Draws a new worker's limits, once: the jitter spreads the workers' recycles apart.</summary>
    public WorkerLimits Draw(ProcmanOptions options, DateTimeOffset startedAt)
    {
        DateTimeOffset? retireAt = options.MaxWorkerLifetime > TimeSpan.Zero
            ? startedAt + options.MaxWorkerLifetime + options.MaxWorkerLifetimeJitter * random.NextDouble()
            : null;
        return new WorkerLimits(retireAt);
    }

    /// <summary>Records one RSS sample of a worker against the limit.</summary>
    public static void OnMemorySample(Worker worker, long? residentBytes, long limit)
    {
        if (residentBytes is not { } bytes)
        {
            return;
        }
        worker.ResidentBytes = bytes;
        worker.MemoryStrikes = bytes > limit ? worker.MemoryStrikes + 1 : 0;
    }

    /// <summary>Why the worker should be recycled now, or null.</summary>
    public static string? DueReason(Worker worker, ProcmanOptions options, DateTimeOffset now)
    {
        if (worker.RecycleAsked)
        {
            return AskedReason;
        }
        if (worker.MaxRequestsReached is { } reached)
        {
            return $"{RequestsReason}: served {reached.Served} of its limit {reached.Limit}";
        }
        if (options.MaxWorkerMemory is { } limit && worker.MemoryStrikes >= MemoryStrikes)
        {
            return $"{MemoryReason}: RSS {Megabytes(worker.ResidentBytes)} over the limit {Megabytes(limit)} for {worker.MemoryStrikes} samples";
        }
        if (worker.Limits.RetireAt is { } retireAt && now >= retireAt)
        {
            return $"{LifetimeReason}: running for {(now - worker.StartedAt).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
        }
        return null;
    }

    private static string Megabytes(long bytes) => $"{(bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MB";
}
