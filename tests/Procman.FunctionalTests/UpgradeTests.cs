using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>SIGUSR2: a new master on the same sockets takes over from the old one, which drains and exits.</summary>
public sealed class UpgradeTests
{
    private static readonly TimeSpan Bound = UpgradedMasters.Bound;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Usr2_UnderKeepAliveLoad_DropsNoRequest_AndThePidfileFollowsTheNewMaster(bool reusePort)
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("procman.pid");
        // With reuse_port the new master takes over the anchor and binds its slots' own sockets beside it.
        string[] arguments = reusePort ? ["-p", pidFile, "--reuse-port"] : ["-p", pidFile];
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, arguments);
        // Disposed first: the new master, which is not this test's child, goes before the old one and its workers.
        using var masters = new UpgradedMasters(pidFile);
        var old = procman.ReadyWorkers();

        var load = Wrk.RunAsync(procman.BaseAddress, connections: 50, duration: TimeSpan.FromSeconds(12));
        await Task.Delay(TimeSpan.FromSeconds(3));
        procman.Signal(Native.SigUsr2);
        await procman.WaitForEventsAsync(MasterEvent.UpgradeHandedOver, 1, Bound);
        var newMaster = await masters.WaitForOtherThanAsync(procman.Pid);
        Assert.Equal(0, await procman.WaitForExitAsync(Bound, outputShared: true));
        var result = await load;

        Assert.True(result.Requests > 1000, result.Output);
        Assert.Equal(0, result.SocketErrors);
        Assert.Equal(0, result.Non2xx);
        Assert.Equal(newMaster, masters.Current());
        Assert.False(File.Exists(pidFile + ".oldbin"));
        Assert.All(old, pid => Assert.False(ProcessTable.IsAlive(pid)));
        Assert.Equal(2, ProcessTable.ChildrenOf(newMaster).Count);
        using var client = procman.CreateClient(keepAlive: false);
        Assert.Equal(newMaster, ProcessTable.ParentOf(int.Parse(await client.GetStringAsync("/pid"), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Usr2_UnixSocketBind_IsStillServed_FromTheSameFile()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("procman.pid");
        var socket = directory.Combine("app.sock");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-p", pidFile, "-b", $"unix:{socket}");
        // Disposed first: the new master, which is not this test's child, goes before the old one and its workers.
        using var masters = new UpgradedMasters(pidFile);
        var inode = await InodeAsync(socket);

        procman.Signal(Native.SigUsr2);
        await masters.WaitForOtherThanAsync(procman.Pid);
        Assert.Equal(0, await procman.WaitForExitAsync(Bound, outputShared: true));

        Assert.Equal(inode, await InodeAsync(socket));
        using var client = LoopbackPort.UnixClient(socket);
        using var response = await client.GetAsync("/pid");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Usr2_WithTheConfigurationBroken_OldMasterKeepsServing_AndRestoresItsPidfile()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("procman.pid");
        var config = directory.File("procman.conf.py", "workers = 1\nbind = \"127.0.0.1:0\"\n");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-c", config, "-p", pidFile);
        // Disposed first: the new master, which is not this test's child, goes before the old one and its workers.
        using var masters = new UpgradedMasters(pidFile);
        File.WriteAllText(config, "workers = 'many'\nbind = \"127.0.0.1:0\"\n");

        procman.Signal(Native.SigUsr2);
        var failed = await procman.WaitForEventsAsync(MasterEvent.UpgradeFailed, 1, Bound);

        Assert.Contains("invalid command line or configuration", failed[0].Text("Reason"));
        await AssertStillServingAsync(procman, masters, pidFile);
    }

    [Fact]
    public async Task Usr2_WhenTheNewWorkersFailToBoot_OldMasterKeepsServing_OnItsUnixSocketToo_AndSaysWhy()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("procman.pid");
        var marker = directory.Combine("fail");
        var socket = directory.Combine("app.sock");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", "-p", pidFile, "-b", "127.0.0.1:0", "-b", $"unix:{socket}"], new Dictionary<string, string> { ["TESTAPP_FAIL_IF_EXISTS"] = marker });
        // Disposed first: the new master, which is not this test's child, goes before the old one and its workers.
        using var masters = new UpgradedMasters(pidFile);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
        File.WriteAllText(marker, "");

        procman.Signal(Native.SigUsr2);
        var failed = await procman.WaitForEventsAsync(MasterEvent.UpgradeFailed, 1, Bound);

        Assert.Contains("its workers failed to boot", failed[0].Text("Reason"));
        await AssertStillServingAsync(procman, masters, pidFile);
        using var unix = LoopbackPort.UnixClient(socket);
        Assert.Equal("ok\n", await unix.GetStringAsync("/"));
    }

    [Fact]
    public async Task TwoUpgradesInARow_EachNewMasterTakesOver_AndStatusAndAdminShowIt()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("procman.pid");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-p", pidFile, "--admin-bind", "127.0.0.1:0");
        // Disposed first: the new master, which is not this test's child, goes before the old one and its workers.
        using var masters = new UpgradedMasters(pidFile);
        var admin = new Uri((await procman.WaitForEventsAsync(AdminListening, 1, Bound))[0].Text("Address"));

        procman.Signal(Native.SigUsr2);
        // Sent once the first is handled: the kernel keeps one pending SIGUSR2, not two.
        await procman.WaitForEventsAsync(MasterEvent.UpgradeStarted, 1, Bound);
        procman.Signal(Native.SigUsr2);
        var refused = await procman.WaitForEventsAsync(MasterEvent.UpgradeRefused, 1, Bound);
        Assert.Contains("already under way", refused[0].Text("Reason"));
        var first = await masters.WaitForOtherThanAsync(procman.Pid);
        Assert.Equal(0, await procman.WaitForExitAsync(Bound, outputShared: true));
        Assert.Equal(first, await StatusPidAsync(pidFile));

        Native.Kill(first, Native.SigUsr2);
        var second = await masters.WaitForOtherThanAsync(first);
        await UpgradedMasters.WaitForExitAsync(first);

        Assert.Equal(second, await StatusPidAsync(pidFile));
        using var client = new HttpClient { BaseAddress = admin, Timeout = TimeSpan.FromSeconds(30) };
        using var status = JsonDocument.Parse(await client.GetStringAsync("/status"));
        Assert.Equal(second, status.RootElement.GetProperty("pid").GetInt32());
        Assert.False(File.Exists(pidFile + ".oldbin"));
    }

    [Fact]
    public async Task Usr2_UnderSystemd_NewMasterSendsMainPidThenReady_AndTheOldOneNoStopping()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("procman.pid");
        using var notify = new NotifySocket(directory.Path);
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", "-p", pidFile], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Address });
        // Disposed first: the new master, which is not this test's child, goes before the old one and its workers.
        using var masters = new UpgradedMasters(pidFile);
        await notify.WaitForAsync("READY=1", 1, ProcmanHost.StartTimeout);

        procman.Signal(Native.SigUsr2);
        await notify.WaitForAsync("READY=1", 2, Bound);
        var newMaster = await masters.WaitForOtherThanAsync(procman.Pid);
        Assert.Equal(0, await procman.WaitForExitAsync(Bound, outputShared: true));

        var fields = notify.Fields.Where(field => !field.StartsWith("STATUS=", StringComparison.Ordinal) && !field.StartsWith("EXTEND_TIMEOUT_USEC=", StringComparison.Ordinal)).ToArray();
        Assert.Equal([$"MAINPID={procman.Pid}", "READY=1", $"MAINPID={newMaster}", "READY=1"], fields);
    }

    private const int AdminListening = 157;

    private static async Task AssertStillServingAsync(ProcmanHost procman, UpgradedMasters masters, string pidFile)
    {
        Assert.Equal(procman.Pid, masters.Current());
        Assert.False(File.Exists(pidFile + ".oldbin"));
        using var client = procman.CreateClient(keepAlive: false);
        Assert.Equal("ok\n", await client.GetStringAsync("/"));
        Assert.Equal(procman.Pid, await StatusPidAsync(pidFile));
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.Stopping && e.Int("ProcessId") == procman.Pid);
    }

    /// <summary>The pid <c>procman status</c> reports on the control socket beside the pidfile.</summary>
    private static async Task<int> StatusPidAsync(string pidFile)
    {
        var status = await ProcmanCommand.RunAsync(["status", "--json", "--control-socket", Path.ChangeExtension(pidFile, ".ctl")]);
        Assert.True(status.ExitCode == 0, status.Error);
        using var json = JsonDocument.Parse(status.Output);
        return json.RootElement.GetProperty("pid").GetInt32();
    }

    private static async Task<string> InodeAsync(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = await stat.StandardOutput.ReadToEndAsync();
        await stat.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return inode.Trim();
    }
}
