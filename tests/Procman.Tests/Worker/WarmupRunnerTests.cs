using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;
using Procman.Worker.Warmup;

namespace Procman.Tests.Worker;

public sealed class WarmupRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task EachPath_GetsItsRequests_OneAfterTheOther_AsAGetFromALoopbackClient()
    {
        var seen = new List<string>();
        var app = new FakeApplication(context =>
        {
            Assert.True(WarmupRequest.Marks(context));
            seen.Add($"{context.Request.Method} {context.Request.Scheme} {context.Request.Host} {context.Request.Path}{context.Request.QueryString} {context.Connection.RemoteIpAddress}");
            return Task.CompletedTask;
        });

        var report = await new WarmupRunner(_time, https: false).RunAsync(app, ["/health", "/search?q=a%20b"], 2, Bound, CancellationToken.None);

        Assert.Equal(4, report.Finished);
        Assert.Empty(report.Failures);
        Assert.Null(report.StuckOn);
        Assert.Equal(
            ["GET http localhost /health 127.0.0.1", "GET http localhost /health 127.0.0.1", "GET http localhost /search?q=a%20b 127.0.0.1", "GET http localhost /search?q=a%20b 127.0.0.1"],
            seen);
        Assert.Equal(4, app.Disposed);
    }

    [Fact]
    public async Task TheResponseCallbacks_RunAsForAClient_StartingAtTheFirstWrite_CompletedAtTheEnd()
    {
        var order = new List<string>();
        var app = new FakeApplication(async context =>
        {
            context.Response.OnStarting(() =>
            {
                order.Add("starting");
                return Task.CompletedTask;
            });
            context.Response.OnCompleted(() =>
            {
                order.Add("completed");
                return Task.CompletedTask;
            });
            order.Add("before write");
            await context.Response.WriteAsync("warm");
            order.Add(context.Response.HasStarted ? "started" : "not started");
        });

        await new WarmupRunner(_time, https: true).RunAsync(app, ["/"], 1, Bound, CancellationToken.None);

        Assert.Equal(["before write", "starting", "started", "completed"], order);
    }

    [Fact]
    public async Task AFailingAnswerOrAnException_IsReportedOncePerPath_WithHowManyFailed()
    {
        var calls = 0;
        var app = new FakeApplication(context =>
        {
            calls++;
            if (context.Request.Path == "/throws")
            {
                throw new InvalidOperationException("not yet");
            }
            context.Response.StatusCode = calls % 2 == 0 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });

        var report = await new WarmupRunner(_time, https: false).RunAsync(app, ["/flaky", "/throws"], 4, Bound, CancellationToken.None);

        Assert.Equal(8, report.Finished);
        Assert.Equal(2, report.Failures.Count);
        Assert.Equal(("/flaky", 2, 503), (report.Failures[0].Path, report.Failures[0].Count, report.Failures[0].Status));
        Assert.Equal(("/throws", 4), (report.Failures[1].Path, report.Failures[1].Count));
        Assert.IsType<InvalidOperationException>(report.Failures[1].Exception);
        Assert.Equal(8, app.Disposed);
    }

    [Fact]
    public async Task ARequestThatNeverEnds_EndsTheWarmupAtTheBound_AndIsToldItWasAborted()
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = new FakeApplication(context =>
        {
            if (context.Request.Path == "/hangs")
            {
                started.TrySetResult(context.RequestAborted);
                return new TaskCompletionSource().Task;
            }
            return Task.CompletedTask;
        });

        var warmup = new WarmupRunner(_time, https: false).RunAsync(app, ["/", "/hangs", "/never"], 2, Bound, CancellationToken.None);
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
        var app = new FakeApplication(_ =>
        {
            started.TrySetResult();
            return new TaskCompletionSource().Task;
        });

        var warmup = new WarmupRunner(_time, https: false).RunAsync(app, ["/"], 1, Bound, stopping.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => warmup.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>An app's pipeline as the hosting layer hands it to a server: a context per request over the server's features.</summary>
    private sealed class FakeApplication(RequestDelegate pipeline) : IHttpApplication<HttpContext>
    {
        public int Disposed { get; private set; }

        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => pipeline(context);

        public void DisposeContext(HttpContext context, Exception? exception) => Disposed++;
    }
}
