using System.Runtime;

namespace Procman.Worker.Warmup;

/// <summary>
/// Sends the warm-up requests, one after the other and within one bound for them all: first a fixed number per path,
/// then, if asked, the paths in turn until the JIT has nothing left to compile for them.
/// </summary>
/// <remarks>
/// The tier-up part is what makes a warm worker fast rather than merely started: a few requests compile the code at
/// tier 0, which runs at about 60% of the optimized speed, and the runtime optimizes it only after counted calls and a
/// background compilation (tiered PGO: twice). Under a client's load that takes seconds of slow requests; here, before
/// the worker takes traffic, it costs the CPU of the compilations and of about 50 requests a second. A request that
/// outlives the bound is told through its cancellation and left to finish in the background; the worker does not
/// wait for it.
/// </remarks>
/// <param name="send">One request to a path (with its query): its status, and what the app threw if it did.</param>
internal sealed class WarmupRunner(
    TimeProvider time, Func<string, CancellationToken, Task<(int Status, Exception? Exception)>> send, Func<long>? compiledMethods = null)
{
    /// <summary>
    /// How long the JIT must have compiled nothing, with warm-up requests going on, for the code they run to count as
    /// optimized: the runtime counts calls only after 100 ms without a new method to compile, then promotes a method
    /// after 30 calls (twice with tiered PGO: an instrumented version first) and compiles it on a background thread,
    /// which a busy machine may hold back for a few time slices.
    /// </summary>
    public static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The tier-up part starts a round of the paths at most this often: the runtime's tiering waits on its delays and
    /// background compilations rather than on calls (30 calls take 0.6 s at this pace; measured on HelloApi, the JIT
    /// went quiet as soon as with a round every 5 ms, after a quarter of the requests), and a busy machine's serving
    /// workers keep the rest of the CPU.
    /// </summary>
    public static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(20);

    private readonly Func<long> _compiledMethods = compiledMethods ?? (() => JitInfo.GetCompiledMethodCount(currentThread: false));

    /// <summary>Sends the requests of <paramref name="plan"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="stopping"/> was cancelled: the host is stopping.</exception>
    public async Task<WarmupReport> RunAsync(WarmupPlan plan, CancellationToken stopping)
    {
        var started = time.GetTimestamp();
        var compiledBefore = _compiledMethods();
        // Not disposed: a request left running past the bound may still hold their token.
        var timeout = new CancellationTokenSource(plan.Bound, time);
        var aborted = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        var tally = new Tally(plan.Paths.Count);

        WarmupReport Report(string? stuckOn, WarmupTierUp tierUp) => new(
            tally.Finished, tally.Failures(plan.Paths), time.GetElapsedTime(started), stuckOn, _compiledMethods() - compiledBefore, tierUp);

        async Task<bool> SendAsync(int index)
        {
            // On the thread pool: an endpoint that blocks its thread must not block the bound's wait as well.
            var request = Task.Run(() => send(plan.Paths[index], aborted.Token), CancellationToken.None);
            try
            {
                await request.WaitAsync(aborted.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                return false;
            }
            tally.Add(index, request.Result);
            return true;
        }

        for (var index = 0; index < plan.Paths.Count; index++)
        {
            for (var i = 0; i < plan.Requests; i++)
            {
                if (!await SendAsync(index).ConfigureAwait(false))
                {
                    return Report(plan.Paths[index], WarmupTierUp.None);
                }
            }
        }
        var tierUp = WarmupTierUp.None;
        if (plan.TierUpBound > TimeSpan.Zero)
        {
            var tierUpStarted = time.GetTimestamp();
            var compiled = _compiledMethods();
            var quietSince = tierUpStarted;
            tierUp = WarmupTierUp.StillCompiling;
            while (time.GetElapsedTime(tierUpStarted) < plan.TierUpBound)
            {
                var round = time.GetTimestamp();
                for (var index = 0; index < plan.Paths.Count; index++)
                {
                    if (!await SendAsync(index).ConfigureAwait(false))
                    {
                        return Report(plan.Paths[index], tierUp);
                    }
                }
                var now = time.GetTimestamp();
                if (_compiledMethods() is var count && count != compiled)
                {
                    (compiled, quietSince) = (count, now);
                }
                else if (time.GetElapsedTime(quietSince, now) >= JitQuiet)
                {
                    tierUp = WarmupTierUp.Quiet;
                    break;
                }
                if (RoundInterval - time.GetElapsedTime(round, now) is var rest && rest > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(rest, time, aborted.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        break;
                    }
                }
            }
        }
        timeout.Dispose();
        aborted.Dispose();
        return Report(null, tierUp);
    }

    /// <summary>Per path: the requests sent, and the failures with the first one's answer.</summary>
    private sealed class Tally(int paths)
    {
        private readonly int[] _sent = new int[paths];
        private readonly int[] _failed = new int[paths];
        private readonly (int Status, Exception? Exception)[] _first = new (int, Exception?)[paths];

        public int Finished { get; private set; }

        public void Add(int index, (int Status, Exception? Exception) answer)
        {
            Finished++;
            _sent[index]++;
            if (answer.Exception is not null || answer.Status is < 200 or > 299)
            {
                if (_failed[index]++ == 0)
                {
                    _first[index] = answer;
                }
            }
        }

        public List<WarmupFailure> Failures(IReadOnlyList<string> paths) =>
            [.. Enumerable.Range(0, paths.Count)
                .Where(i => _failed[i] > 0)
                .Select(i => new WarmupFailure(paths[i], _failed[i], _sent[i], _first[i].Status, _first[i].Exception))];
    }
}
