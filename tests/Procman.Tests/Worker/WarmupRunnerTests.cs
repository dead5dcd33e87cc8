using Microsoft.Extensions.Time.Testing;
using Procman.Worker.Warmup;

namespace Procman.Tests.Worker;

public sealed class WarmupRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task EachPath_GetsItsRequests_OneAfterTheOther()
    {
        var seen = new List<string>();
        var report = await Runner(path =>
        {
            seen.Add(path);
            return 200;
        }).RunAsync(Plan(["/health", "/search?q=a%20b"], 2), CancellationToken.None);

        Assert.Equal(4, report.Finished);
        Assert.Empty(report.Failures);
        Assert.Null(report.StuckOn);
        Assert.Equal(["/health", "/health", "/search?q=a%20b", "/search?q=a%20b"], seen);
        Assert.Equal(WarmupTierUp.None, report.TierUp);
    }

    [Fact]
    public async Task AFailingAnswerOrAnException_IsReportedOncePerPath_WithHowManyFailed()
    {
        var calls = 0;
        var thrown = new InvalidOperationException("not yet");
        var runner = new WarmupRunner(_time, (path, _) =>
        {
            calls++;
            return Task.FromResult<(int, Exception?)>(path == "/throws" ? (500, thrown) : (calls % 2 == 0 ? 503 : 204, null));
        });

        var report = await runner.RunAsync(Plan(["/flaky", "/throws"], 4), CancellationToken.None);

        Assert.Equal(8, report.Finished);
        Assert.Equal(2, report.Failures.Count);
        Assert.Equal(("/flaky", 2, 4, 503), (report.Failures[0].Path, report.Failures[0].Count, report.Failures[0].Sent, report.Failures[0].Status));
        Assert.Equal(("/throws", 4, 4), (report.Failures[1].Path, report.Failures[1].Count, report.Failures[1].Sent));
        Assert.Same(thrown, report.Failures[1].Exception);
    }

    [Fact]
    public async Task ARequestThatNeverEnds_EndsTheWarmupAtTheBound_AndIsToldItWasAborted()
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new WarmupRunner(_time, (path, aborted) =>
        {
            if (path == "/hangs")
            {
                started.TrySetResult(aborted);
                return new TaskCompletionSource<(int, Exception?)>().Task;
            }
            return Task.FromResult<(int, Exception?)>((200, null));
        });

        var warmup = runner.RunAsync(Plan(["/", "/hangs", "/never"], 2), CancellationToken.None);
        var aborted = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(Bound);
        var report = await warmup.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("/hangs", report.StuckOn);
        Assert.Equal(2, report.Finished);
        Assert.True(aborted.IsCancellationRequested);
    }

    [Fact]
    public async Task AStoppingHost_EndsTheWarmup_WithItsCancellation()
    {
        using var stopping = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new WarmupRunner(_time, (_, _) =>
        {
            started.TrySetResult();
            return new TaskCompletionSource<(int, Exception?)>().Task;
        });

        var warmup = runner.RunAsync(Plan(["/"], 1), stopping.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => warmup.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task TheTierUpPart_GoesOnInTurn_UntilTheJitHasCompiledNothingForHalfASecond()
    {
        // Each request takes 100 ms of the fake clock; the JIT compiles 3 methods for each of the first 14 requests.
        var compiled = 0L;
        var seen = new List<string>();
        var runner = new WarmupRunner(_time, (path, _) =>
        {
            seen.Add(path);
            if (seen.Count <= 14)
            {
                compiled += 3;
            }
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return Task.FromResult<(int, Exception?)>((200, null));
        }, () => compiled);

        var report = await runner.RunAsync(Plan(["/a", "/b"], 2) with { TierUpBound = TimeSpan.FromSeconds(10) }, CancellationToken.None);

        Assert.Equal(WarmupTierUp.Quiet, report.TierUp);
        // 4 fixed requests, rounds of /a then /b until the count stood still for 500 ms: the last change came with
        // request 14 (round 5), and rounds 6-8 add 200 ms each after it.
        Assert.Equal(20, report.Finished);
        Assert.Equal(["/a", "/a", "/b", "/b", "/a", "/b", "/a", "/b"], seen.Take(8));
        Assert.Equal(42, report.Compiled);
        Assert.Null(report.StuckOn);
    }

    [Fact]
    public async Task TheTierUpPart_StartsARoundEveryFiveMilliseconds_AtMost()
    {
        var compiled = 0L;
        var origin = _time.GetTimestamp();
        var runner = new WarmupRunner(_time, (_, _) =>
        {
            // The JIT compiles something on the first three requests.
            if (Interlocked.Read(ref compiled) < 3)
            {
                Interlocked.Increment(ref compiled);
            }
            return Task.FromResult<(int, Exception?)>((200, null));
        }, () => Interlocked.Read(ref compiled));

        var warmup = runner.RunAsync(Plan(["/"], 1) with { TierUpBound = TimeSpan.FromSeconds(10) }, CancellationToken.None);
        // Requests take no time on the fake clock: only its steps let the next round start (unpaced, the warm-up would
        // spin at one instant and never see half a second of quiet).
        for (var step = 0; step < 10_000 && !warmup.IsCompleted; step++)
        {
            _time.Advance(WarmupRunner.RoundInterval);
            await Task.Delay(1);
        }
        var report = await warmup.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WarmupTierUp.Quiet, report.TierUp);
        var rounds = report.Finished - 1;
        Assert.InRange(rounds, 3, (int)(_time.GetElapsedTime(origin) / WarmupRunner.RoundInterval) + 1);
    }

    [Fact]
    public async Task AJitThatNeverGoesQuiet_EndsTheTierUpPartAtItsBound_WithTheWorkerWarmedRegardless()
    {
        var compiled = 0L;
        var runner = new WarmupRunner(_time, (_, _) =>
        {
            compiled++;
            _time.Advance(TimeSpan.FromMilliseconds(250));
            return Task.FromResult<(int, Exception?)>((200, null));
        }, () => compiled);

        var report = await runner.RunAsync(Plan(["/"], 1) with { TierUpBound = TimeSpan.FromSeconds(2) }, CancellationToken.None);

        Assert.Equal(WarmupTierUp.StillCompiling, report.TierUp);
        Assert.Equal(1 + 8, report.Finished);
        Assert.Null(report.StuckOn);
    }

    [Fact]
    public async Task FailuresInTheTierUpPart_CountWithTheFixedOnes()
    {
        var runner = new WarmupRunner(_time, (_, _) =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return Task.FromResult<(int, Exception?)>((404, null));
        }, () => 7);

        var report = await runner.RunAsync(Plan(["/missing"], 3) with { TierUpBound = TimeSpan.FromSeconds(10) }, CancellationToken.None);

        Assert.Equal(WarmupTierUp.Quiet, report.TierUp);
        var failure = Assert.Single(report.Failures);
        Assert.Equal((report.Finished, report.Finished, 404), (failure.Count, failure.Sent, failure.Status));
        Assert.Equal(0, report.Compiled);
    }

    private static WarmupPlan Plan(IReadOnlyList<string> paths, int requests) => new(paths, requests, Bound, TimeSpan.Zero);

    private WarmupRunner Runner(Func<string, int> answer)
        => new(_time, (path, _) => Task.FromResult<(int, Exception?)>((answer(path), null)));
}
