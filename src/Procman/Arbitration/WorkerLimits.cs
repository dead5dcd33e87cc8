namespace Procman.Arbitration;

/// <summary>The recycle limits drawn for one worker when it started.</summary>
/// <param name="MaxRequests">Requests after which it is recycled, or null.</param>
/// <param name="RetireAt">When it is recycled for its age, or null.</param>
internal readonly record struct WorkerLimits(long? MaxRequests, DateTimeOffset? RetireAt);
