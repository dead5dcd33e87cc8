namespace Procman.Worker.Warmup;

/// <summary>What a warm-up did: the requests that finished, the paths that failed, and where it was stuck when its time ran out.</summary>
/// <param name="StuckOn">The path of the request still running when the bound passed; null when the warm-up finished.</param>
internal sealed record WarmupReport(int Finished, IReadOnlyList<WarmupFailure> Failures, TimeSpan Elapsed, string? StuckOn);
