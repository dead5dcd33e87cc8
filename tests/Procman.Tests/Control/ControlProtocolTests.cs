using System.Text;
using System.Text.Json;
using Procman.Cli;
using Procman.Control;

namespace Procman.Tests.Control;

public sealed class ControlProtocolTests
{
    internal static readonly MasterSnapshot Sample = new()
    {
        Pid = 100,
        State = "running",
        Generation = 2,
        StartedAt = DateTimeOffset.UnixEpoch,
        UptimeSeconds = 3725,
        TargetWorkers = 2,
        Workers =
        [
            new WorkerSnapshot { Slot = 1, Pid = 101, Generation = 2, State = "ready", UptimeSeconds = 65, Requests = 1200, RequestsPerSecond = 12.5, KeepAliveConnections = 3, RssBytes = 60 << 20, PssBytes = 20 << 20, Restarts = 1, LastExit = "exit code 0 (reload)" },
            new WorkerSnapshot { Slot = 2, Pid = 102, Generation = 2, State = "starting", UptimeSeconds = 1, Requests = 0, KeepAliveConnections = 0, Restarts = 0 },
        ],
        Restarts = RestartReason.All.ToDictionary(reason => reason, reason => reason == RestartReason.Reload ? 1L : 0L),
        Reloads = new ReloadCounts(2, 1, 0, 6.5, 3.25),
        Boots = 5,
        BootSecondsSum = 10,
    };

    /// <summary>A snapshot with every field set, so a field the codec forgets shows up in a round trip.</summary>
    internal static readonly MasterSnapshot Full = Sample with
    {
        Workers =
        [
            new WorkerSnapshot
            {
                Slot = 3, Pid = 103, Generation = 4, State = "draining", UptimeSeconds = 12.25, BootSeconds = 0.75, Requests = 1L << 40,
                RequestsPerSecond = 0.1, InFlight = 2, KeepAliveConnections = 7, RssBytes = 3L << 32, PssBytes = 11, GcHeapBytes = 12,
                ThreadPoolThreads = 13, ThreadPoolQueue = 14, ProbeDelaySeconds = 0.015, Restarts = 15, LastExit = "signal 9 (SIGKILL) \"hung\"",
            },
        ],
        StartedAt = new DateTimeOffset(2026, 12, 1, 16, 2, 45, 123, TimeSpan.Zero),
        Reloads = new ReloadCounts(2, 1, 3, 6.5, 3.25),
    };

    [Fact]
    public void Request_IsOneSnakeCaseJsonLine_ThatReadsBack()
    {
        var request = new ControlRequest { Command = ControlRequest.Scale, Wait = true, Workers = 4, Delta = -2, Slot = 3, All = true, Quick = true, DumpDir = "/tmp/d" };

        var json = ControlCodec.Write(request);

        Assert.Contains("\"dump_dir\":\"/tmp/d\"", json);
        Assert.DoesNotContain('\n', json);
        Assert.Equal(request, ControlCodec.ReadRequest(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Request_LeavesOutWhatTheCommandDoesNotTake()
        => Assert.Equal("{\"version\":1,\"command\":\"status\"}", ControlCodec.Write(new ControlRequest { Command = ControlRequest.Status }));

    [Theory]
    [InlineData("[1]", "expected an object, found an array")]
    [InlineData("{\"version\":1}", "it has no \"command\"")]
    [InlineData("{\"command\":\"scale\",\"delta\":\"two\"}", "\"delta\" must be a whole number, not a string")]
    [InlineData("{\"command\":\"scale\",\"delta\":1.5}", "\"delta\" is 1.5, not a valid value for it")]
    [InlineData("{\"command\":\"stop\",\"quick\":1}", "\"quick\" must be true or false, not a number")]
    public void Request_OfTheWrongShape_IsRefusedNamingTheField(string line, string why)
        => Assert.Equal(why, Assert.Throws<JsonException>(() => ControlCodec.ReadRequest(Encoding.UTF8.GetBytes(line))).Message);

    [Theory]
    [InlineData("status")]
    [InlineData("{\"command\":\"status\"} {\"command\":\"stop\"}")]
    [InlineData("")]
    public void Request_NotOneJsonObject_IsAJsonError(string line)
        => Assert.ThrowsAny<JsonException>(() => ControlCodec.ReadRequest(Encoding.UTF8.GetBytes(line)));

    [Fact]
    public void Request_WithoutAVersion_IsTakenAsTheCurrentOne()
        => Assert.Equal(ControlRequest.CurrentVersion, ControlCodec.ReadRequest("{\"command\":\"status\"}"u8).Version);

    [Fact]
    public void Status_KeepsUnknownValuesAsNull_SoScriptsAlwaysFindTheKey()
    {
        var json = ControlCodec.Write(Sample);

        using var document = JsonDocument.Parse(json);
        var starting = document.RootElement.GetProperty("workers")[1];
        Assert.Equal(JsonValueKind.Null, starting.GetProperty("gc_heap_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, starting.GetProperty("requests_per_second").ValueKind);
        Assert.Equal(JsonValueKind.Null, starting.GetProperty("last_exit").ValueKind);
        Assert.Equal(1, document.RootElement.GetProperty("restarts").GetProperty("reload").GetInt64());
        Assert.Equal("1970-01-01T00:00:00+00:00", document.RootElement.GetProperty("started_at").GetString());
    }

    [Fact]
    public void Response_WithAStatus_ReadsBackFieldForField()
    {
        var json = ControlCodec.Write(ControlResponse.Of(Full));

        var read = ControlCodec.ReadResponse(Encoding.UTF8.GetBytes(json)).Status!;

        Assert.Equal(Full.Workers.Single(), read.Workers.Single());
        Assert.Equal(Full.Restarts, read.Restarts);
        Assert.Equal(Full with { Workers = read.Workers, Restarts = read.Restarts }, read);
        Assert.Equal(ControlCodec.Write(Full), ControlCodec.Write(read));
    }

    [Fact]
    public void FullSnapshot_SetsEveryField_SoTheRoundTripCoversThemAll()
    {
        var worker = Full.Workers.Single();
        Assert.All(typeof(WorkerSnapshot).GetProperties(), property => Assert.NotNull(property.GetValue(worker)));
        Assert.All(typeof(MasterSnapshot).GetProperties(), property => Assert.NotNull(property.GetValue(Full)));
        Assert.All(typeof(ReloadCounts).GetProperties(), property => Assert.NotNull(property.GetValue(Full.Reloads)));
    }

    [Fact]
    public void Response_WithADump_OrAMessage_ReadsBack()
    {
        var dump = new ControlResponse { Ok = true, Dump = new WorkerDump(2, 202, "Thread 1:\n  Main", "/tmp/core.202") };
        var done = ControlResponse.Done("2 -> 3 worker(s)");

        Assert.Equal(dump, ControlCodec.ReadResponse(Encoding.UTF8.GetBytes(ControlCodec.Write(dump))));
        Assert.Equal(done, ControlCodec.ReadResponse(Encoding.UTF8.GetBytes(ControlCodec.Write(done))));
    }

    [Fact]
    public void Refusal_CarriesTheErrorAndNoResult()
        => Assert.Equal("{\"version\":1,\"ok\":false,\"error\":\"no\"}", ControlCodec.Write(ControlResponse.Refused("no")));

    [Fact]
    public void StatusTable_HasAMasterLineAndOneRowPerWorker_WithADashForTheUnknown()
    {
        var lines = StatusTable.Render(Sample).Split('\n');

        Assert.Equal("procman pid 100: running, generation 2, up 1h02m, 1 of 2 worker(s) ready", lines[0]);
        Assert.StartsWith("SLOT  PID  GEN  STATE", lines[1]);
        Assert.Matches(@"^1\s+101\s+2\s+ready\s+1m05s\s+1200\s+12\.5\s+-\s+3\s+60\.0M\s+20\.0M\s+-\s+-\s+-\s+1\s+exit code 0 \(reload\)$", lines[2]);
        Assert.Matches(@"^2\s+102\s+2\s+starting\s+1s\s+0\s+-\s+", lines[3]);
    }
}
