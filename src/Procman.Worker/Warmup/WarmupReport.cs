namespace Procman.Worker.Warmup;

/// <summary>What a warm-up did: the requests that finished, the paths that failed, and where it was stuck when its time ran out.</summary>
/// <param name="StuckOn">The path of the request still running when the bound passed; null when the warm-up finished.</param>
/// <param name="Compiled">How many methods the JIT compiled while the warm-up ran, on any thread.</param>
/// <param name="TierUp">How the part after the fixed requests ended; <see cref="WarmupTierUp.None"/> when it did not run.</param>
internal sealed record WarmupReport(
    int Finished, IReadOnlyList<WarmupFailure> Failures, TimeSpan Elapsed, string? StuckOn, long Compiled, WarmupTierUp TierUp);

/// <summary>How a warm-up's tier-up part ended.</summary>
internal enum WarmupTierUp
{
    /// <summary>It did not run: no tier-up bound, or the fixed requests did not finish.</summary>
    None,

    /// <summary>The JIT compiled nothing for <see cref="WarmupRunner.JitQuiet"/> while the requests went on.</summary>
    Quiet,

    /// <summary>Its bound passed with the JIT still compiling.</summary>
    StillCompiling,
}
