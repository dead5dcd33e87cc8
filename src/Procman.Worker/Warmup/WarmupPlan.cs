namespace Procman.Worker.Warmup;

/// <summary>What a warm-up sends: each path's requests, and how long it may go on until the JIT is quiet.</summary>
/// <param name="Paths">The paths, with their query, as a client sends them.</param>
/// <param name="Requests">How many requests each path gets, one after the other.</param>
/// <param name="Bound">The longest the whole warm-up may take.</param>
/// <param name="TierUpBound">
/// The longest it goes on after <paramref name="Requests"/>, requesting the paths in turn until the JIT has compiled
/// nothing for <see cref="WarmupRunner.JitQuiet"/>; zero for not at all.
/// </param>
internal sealed record WarmupPlan(IReadOnlyList<string> Paths, int Requests, TimeSpan Bound, TimeSpan TierUpBound);
