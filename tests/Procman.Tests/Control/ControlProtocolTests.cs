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

    [Fact]
    public void Request_IsOneSnakeCaseJsonLine_ThatReadsBack()
    {
        var request = new ControlRequest { Command = ControlRequest.Scale, Delta = -2, DumpDir = "/tmp/d" };

        var json = JsonSerializer.Serialize(request, ControlJson.Default.ControlRequest);

        Assert.Contains("\"dump_dir\":\"/tmp/d\"", json);
        Assert.DoesNotContain('\n', json);
        Assert.Equal(request, JsonSerializer.Deserialize(json, ControlJson.Default.ControlRequest));
    }

    [Fact]
    public void Status_KeepsUnknownValuesAsNull_SoScriptsAlwaysFindTheKey()
    {
        var json = ControlCommandHandler.Json(Sample);

        using var document = JsonDocument.Parse(json);
        var starting = document.RootElement.GetProperty("workers")[1];
        Assert.Equal(JsonValueKind.Null, starting.GetProperty("gc_heap_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, starting.GetProperty("requests_per_second").ValueKind);
        Assert.Equal(1, document.RootElement.GetProperty("restarts").GetProperty("reload").GetInt64());
        Assert.Equal(Sample.Workers[0], JsonSerializer.Deserialize(json, ControlJson.Default.MasterSnapshot)!.Workers[0]);
    }

    [Fact]
    public void Refusal_CarriesTheErrorAndNoResult()
        => Assert.Equal("{\"version\":1,\"ok\":false,\"error\":\"no\"}", JsonSerializer.Serialize(ControlResponse.Refused("no"), ControlJson.Default.ControlResponse));

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
