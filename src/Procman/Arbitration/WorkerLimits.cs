namespace Procman.Arbitration;

/// <summary>The recycle limits drawn for one worker when it started (max_requests is drawn by the worker itself).</summary>
/// <param name="RetireAt">When it is recycled for its age, or null.</param>
internal readonly record struct WorkerLimits(DateTimeOffset? RetireAt);
