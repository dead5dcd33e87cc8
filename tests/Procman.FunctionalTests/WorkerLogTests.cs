using System.Text.Json;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>With --log-format json, procman's output is one JSON stream, the workers' lines included.</summary>
public sealed class WorkerLogTests
{
    private static readonly TimeSpan EventBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task JsonLogFormat_MakesEveryPlainWorkerLineAJsonEvent_NamingSlotPidAndStream()
    {
        // The sample app logs at Information with the console logger's default, two-line text format.
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.HelloApi, 2);

        var started = await WaitForWorkerLinesAsync(procman, e => e.Properties.TryGetProperty("Line", out var line) && line.GetString()!.Contains("Application started", StringComparison.Ordinal));

        Assert.All(started, e => Assert.Equal("stdout", e.Text("Stream")));
        Assert.Equal([1, 2], started.Select(e => e.Int("Slot")).Order());
        Assert.Equal(procman.ReadyWorkers().Order(), started.Select(e => e.Int("Pid")).Order());
        Assert.All(procman.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^\[\d+\] ", line));
    }

    [Fact]
    public async Task JsonLogFormat_EmbedsAWorkerLineThatIsJson_AsAnObject()
    {
        // The app's own console logger writes JSON, to stderr: what a container-minded app is configured to do.
        var environment = new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__LogToStandardErrorThreshold"] = "Trace",
        };
        await using var procman = ProcmanHost.Start(Paths.HelloApi, ["-w", "1"], environment);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        var started = Assert.Single(await WaitForWorkerLinesAsync(
            procman,
            e => e.Properties.TryGetProperty("Event", out var embedded) && embedded.ValueKind == JsonValueKind.Object
                && embedded.GetProperty("Message").GetString()!.StartsWith("Application started", StringComparison.Ordinal),
            count: 1));

        var embedded = started.Properties.GetProperty("Event");
        Assert.Equal("Microsoft.Hosting.Lifetime", embedded.GetProperty("Category").GetString());
        Assert.Equal("Information", embedded.GetProperty("LogLevel").GetString());
        Assert.Equal("stderr", started.Text("Stream"));
        Assert.False(started.Properties.TryGetProperty("Line", out _));
        Assert.Equal(procman.ReadyWorkers().Single(), started.Int("Pid"));
    }

    private static async Task<IReadOnlyList<MasterEvent>> WaitForWorkerLinesAsync(ProcmanHost procman, Func<MasterEvent, bool> predicate, int count = 2)
    {
        bool Matches(MasterEvent e) => e.Id == MasterEvent.WorkerOutput && predicate(e);
        await procman.WaitForEventAsync(_ => procman.Events.Count(Matches) >= count, EventBound, $"{count} worker line(s) as JSON events");
        return procman.Events.Where(Matches).ToArray();
    }
}
