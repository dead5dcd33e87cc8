using System.Text.Json;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class ControlSocketTests
{
    private static readonly TimeSpan EventBound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("dump", "x")]
    [InlineData("dump", "0")]
    [InlineData("recycle", "-1")]
    [InlineData("recycle", "two")]
    public async Task ASlotThatIsNoSlot_IsOneLineNamingIt_ExitTwo(string command, string slot)
    {
        var result = await ProcmanCommand.RunAsync([command, slot, "--control-socket", "/nonexistent/procman.ctl"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"procman: error: '{slot}' is not a worker slot; use a slot number procman status shows, such as 1; run 'procman {command} --help' for usage", result.Error.Trim());
    }

    [Fact]
    public async Task Status_AsTextAndJson_ListsTheMastersChildren()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--control-socket", socket);

        var text = await ProcmanCommand.RunAsync(["status", "--control-socket", socket]);
        var json = await ProcmanCommand.RunAsync(["status", "--json", "--control-socket", socket]);

        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith($"procman pid {procman.Pid}: running", text.Output);
        Assert.Equal(0, json.ExitCode);
        using var status = JsonDocument.Parse(json.Output);
        Assert.Equal(procman.Pid, status.RootElement.GetProperty("pid").GetInt32());
        var workers = status.RootElement.GetProperty("workers").EnumerateArray().ToArray();
        Assert.Equal(ProcessTable.ChildrenOf(procman.Pid).Order(), workers.Select(w => w.GetProperty("pid").GetInt32()).Order());
        Assert.All(workers, w => Assert.Equal("ready", w.GetProperty("state").GetString()));
        Assert.All(workers, w => Assert.True(w.GetProperty("pss_bytes").GetInt64() > 0));
        Assert.All(workers, w => Assert.Contains($" {w.GetProperty("pid").GetInt32()} ", text.Output));
    }

    [Fact]
    public async Task Socket_IsOwnerOnly_AndRemovedWhenTheMasterStops()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--control-socket", socket);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        var stop = await ProcmanCommand.RunAsync(["stop", "--wait", "--control-socket", socket]);

        Assert.True(stop.ExitCode == 0, $"procman stop --wait exited {stop.ExitCode}: {stop.Error}");
        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(socket));
        var status = await ProcmanCommand.RunAsync(["status", "--control-socket", socket]);
        Assert.Equal(7, status.ExitCode);
        Assert.StartsWith("procman: error: no procman answers on the control socket", status.Error);
    }

    [Fact]
    public async Task AnotherUser_IsRefused_EvenWhenTheSocketFileLetsThemIn()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--control-socket", socket);
        // Open the file system's door wide: the peer credentials check must still turn the stranger away.
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110);

        var status = await ProcmanCommand.RunAsync(["status", "--control-socket", socket], user: "nobody");

        Assert.True(status.ExitCode == 8, $"exit code {status.ExitCode}: {status.Error}");
        Assert.Contains("permission denied: only root and uid 0", status.Error);
        await procman.WaitForEventsAsync(MasterEvent.ControlPeerRefused, 1, EventBound);
    }

    [Fact]
    public async Task Scale_ToACountAndByADelta_StartsAndRetiresWorkers()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--control-socket", socket, ProcmanHost.NoWarmup);

        Assert.Equal(0, (await ProcmanCommand.RunAsync(["scale", "3", "--control-socket", socket])).ExitCode);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 3, EventBound);
        Assert.Equal(0, (await ProcmanCommand.RunAsync(["scale", "-1", "--control-socket", socket])).ExitCode);
        await procman.WaitForEventsAsync(MasterEvent.WorkerExited, 1, EventBound);

        var status = await StatusAsync(socket);
        Assert.Equal(2, status.GetProperty("target_workers").GetInt32());
        Assert.Equal(2, ProcessTable.ChildrenOf(procman.Pid).Count);
        var refused = await ProcmanCommand.RunAsync(["scale", "0", "--control-socket", socket]);
        Assert.Equal(8, refused.ExitCode);
        Assert.Contains("workers must be between 1 and", refused.Error);
    }

    [Fact]
    public async Task Recycle_StartsTheReplacementBeforeRetiringTheWorker()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--control-socket", socket, ProcmanHost.NoWarmup);
        var old = procman.ReadyWorkers().Single(pid => procman.SlotOf(pid) == 2);

        var recycle = await ProcmanCommand.RunAsync(["recycle", "2", "--control-socket", socket]);

        Assert.Equal(0, recycle.ExitCode);
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == old, EventBound, "the recycled worker's exit");
        var events = procman.Events;
        var replacementReady = events.Last(e => e.Id == MasterEvent.WorkerReady);
        var retiring = events.Single(e => e.Id == MasterEvent.RetiringWorker && e.Int("Pid") == old);
        Assert.True(events.ToList().IndexOf(replacementReady) < events.ToList().IndexOf(retiring), "the worker retired before its replacement was ready");
        var slot2 = (await StatusAsync(socket)).GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("slot").GetInt32() == 2);
        Assert.Equal(1, slot2.GetProperty("restarts").GetInt32());
    }

    [Fact]
    public async Task ReloadWait_ExitsZero_OnceTheNewWorkersServe()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--control-socket", socket, ProcmanHost.NoWarmup);
        var old = procman.ReadyWorkers();

        var reload = await ProcmanCommand.RunAsync(["reload", "--wait", "--control-socket", socket]);

        Assert.Equal(0, reload.ExitCode);
        Assert.StartsWith("reload complete (generation 1)", reload.Output);
        var status = await StatusAsync(socket);
        Assert.Equal(1, status.GetProperty("generation").GetInt32());
        var serving = status.GetProperty("workers").EnumerateArray().Where(w => w.GetProperty("state").GetString() == "ready").Select(w => w.GetProperty("pid").GetInt32()).ToArray();
        Assert.Equal(2, serving.Length);
        Assert.DoesNotContain(serving, old.Contains);
    }

    [Fact]
    public async Task ReloadWait_WhenTheNewWorkersFailToBoot_ExitsNonZeroWithTheReason_AndTheOldOnesKeepServing()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        var marker = directory.Combine("broken");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--control-socket", socket, "-e", $"TESTAPP_FAIL_IF_EXISTS={marker}");
        var old = procman.ReadyWorkers();
        await File.WriteAllTextAsync(marker, "broken deploy");

        var reload = await ProcmanCommand.RunAsync(["reload", "--wait", "--control-socket", socket]);

        Assert.Equal(8, reload.ExitCode);
        Assert.StartsWith("procman: error: reload failed: new worker", reload.Error);
        using var client = procman.CreateClient(keepAlive: false);
        Assert.Contains(int.Parse(await client.GetStringAsync("/pid")), old);
        Assert.Equal(old.Order(), procman.ReadyWorkers().Order());
    }

    [Fact]
    public async Task Status_WithTheConfigFile_FindsTheSocketAsRunChoseIt()
    {
        using var directory = new TempDirectory();
        var name = $"pmt{Environment.ProcessId % 100000}";
        var config = directory.File("procman.conf.py", $"proc_name = \"{name}\"\nbind = \"127.0.0.1:0\"\n");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-c", config);
        var listening = await procman.WaitForEventsAsync(MasterEvent.ControlListening, 1, EventBound);

        var status = await ProcmanCommand.RunAsync(["status", "-c", config]);

        Assert.EndsWith($"/procman/{name}.ctl", listening[0].Text("Path"));
        Assert.Equal(0, status.ExitCode);
        Assert.StartsWith($"procman pid {procman.Pid}", status.Output);
    }

    [Fact]
    public async Task Dump_SummarizesTheWorkersStacks_WritesItsDumpFileOnRequest_AndTheWorkerKeepsServing()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        var dumps = directory.Combine("dumps");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--control-socket", socket);
        var pid = procman.ReadyWorkers().Single();

        var withoutDirectory = await ProcmanCommand.RunAsync(["dump", "1", "--control-socket", socket]);
        var dump = await ProcmanCommand.RunAsync(["dump", "1", "--dump-dir", dumps, "--control-socket", socket]);

        Assert.True(withoutDirectory.ExitCode == 0, withoutDirectory.Error);
        Assert.Matches(@"\d+ threads?: ", withoutDirectory.Output);
        Assert.True(dump.ExitCode == 0, dump.Error);
        var file = Assert.Single(Directory.GetFiles(dumps, "*.dmp"));
        Assert.Contains($"dump written to {file}", dump.Output);
        using var client = procman.CreateClient();
        Assert.Equal(pid, int.Parse(await client.GetStringAsync("/pid"), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<JsonElement> StatusAsync(string socket)
    {
        var status = await ProcmanCommand.RunAsync(["status", "--json", "--control-socket", socket]);
        Assert.Equal(0, status.ExitCode);
        return JsonDocument.Parse(status.Output).RootElement.Clone();
    }
}
