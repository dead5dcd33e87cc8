using System.Diagnostics;
using System.Globalization;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>
/// user, group and initgroups for real: procman started as root, its workers as nobody (docs/privileges.md).
/// The tests run as root, as the suite does on this machine.
/// </summary>
public sealed class PrivilegeTests
{
    private const string Nobody = "65534";
    private static readonly TimeSpan EventBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task User_RunsEveryWorkerAndAllOfTheAppsCodeAsNobody_WhileTheMasterStaysRoot()
    {
        using var directory = OpenDirectory();
        var ids = directory.Combine("ids");
        var secret = directory.File("secret", "root only\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "-u", "nobody", "-e", $"TESTAPP_IDS_FILE={ids}");
        var workers = procman.ReadyWorkers();
        using var client = procman.CreateClient();

        Assert.Equal("ok\n", await client.GetStringAsync("/"));
        Assert.Equal("denied", await client.GetStringAsync($"/read?path={secret}"));
        Assert.Equal("/nonexistent", await client.GetStringAsync("/env?name=HOME"));
        Assert.Equal(("0", "0"), Ids(procman.Pid));
        Assert.All(workers, pid => Assert.Equal((Nobody, Nobody, ""), (Ids(pid).User, Ids(pid).Group, Groups(pid))));
        // The app's earliest code, in every worker: its module initializer, its static constructor, Main's first line.
        foreach (var pid in workers)
        {
            var lines = File.ReadAllLines($"{ids}.{pid}");
            Assert.Equal(["main", "module-initializer", "static-constructor"], lines.Select(line => line.Split(' ')[1]).Order(StringComparer.Ordinal));
            Assert.All(lines, line => Assert.EndsWith($"uid={Nobody} gid={Nobody} groups=", line));
        }
        var started = Assert.Single(procman.Events, e => e.Id == MasterEvent.WorkersIdentity);
        Assert.Equal("user nobody (uid 65534), group nogroup (gid 65534), no supplementary groups", started.Text("Identity"));
    }

    [Fact]
    public async Task InitGroups_GivesTheWorkersTheUsersGroupsFromTheGroupDatabase()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-u", "nobody", "-g", "nogroup", "--initgroups");

        var pid = procman.ReadyWorkers().Single();

        Assert.Equal(Nobody, Groups(pid));
    }

    [Fact]
    public async Task ConfigFile_UserAndGroup_Reload_BindsAPortBelow1024_ForWorkersRunningAsNobody()
    {
        using var directory = OpenDirectory();
        var config = directory.File("procman.conf.py", "bind = ['127.0.0.1:0']\nuser = 'nobody'\ngroup = 65534\nworkers = 1\n");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-c", config]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
        var privileged = LoopbackPort.FreePrivileged();

        File.WriteAllText(config, $"bind = ['127.0.0.1:0', '127.0.0.1:{privileged}']\nuser = 'nobody'\ngroup = 65534\nworkers = 1\n");
        Assert.True(procman.Signal(Native.SigHup));
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, EventBound);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{privileged}"), Timeout = EventBound };
        var pid = int.Parse(await client.GetStringAsync("/pid"), CultureInfo.InvariantCulture);
        Assert.Equal((Nobody, Nobody), Ids(pid));
        Assert.Contains(pid, procman.ReadyWorkers());
    }

    [Fact]
    public async Task UnixSocket_IsOwnedByTheWorkersUserAndGroup_WithTheUmasksMode()
    {
        using var directory = OpenDirectory();
        var socket = directory.Combine("app.sock");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1", "-u", "nobody", "-b", $"unix:{socket}", "-m", "007"]);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        Assert.Equal($"{Nobody}:{Nobody} 770", Stat(socket));
        using var client = LoopbackPort.UnixClient(socket);
        Assert.Equal("ok\n", await client.GetStringAsync("http://localhost/"));
    }

    [Fact]
    public async Task AccessLog_IsTheWorkersToWrite_AndSigusr1ReopensItAfterARotation()
    {
        using var directory = new TempDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_101_101);
        // A log directory only root may write, as /var/log is: the workers cannot create a file in it themselves.
        var logs = Directory.CreateDirectory(directory.Combine("logs")).FullName;
        var accessLog = Path.Combine(logs, "access.log");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "-u", "nobody", "--access-logfile", accessLog);
        using var client = procman.CreateClient(keepAlive: false);

        await client.GetStringAsync("/pid?first");
        Assert.Equal($"{Nobody}:{Nobody}", Stat(accessLog).Split(' ')[0]);
        await WaitForLineAsync(accessLog, "GET /pid?first", client);
        File.Move(accessLog, accessLog + ".1");
        Assert.True(procman.Signal(Native.SigUsr1));
        // Each worker reopens when its message arrives: a line it wrote before that rightly went to the old file.
        await WaitUntilEveryWorkerWritesToAsync(accessLog, procman);
        await client.GetStringAsync("/pid?third");
        await WaitForLineAsync(accessLog, "GET /pid?third", client);

        Assert.Equal($"{Nobody}:{Nobody}", Stat(accessLog).Split(' ')[0]);
        Assert.DoesNotContain("GET /pid?third", File.ReadAllText(accessLog + ".1"));
        Assert.DoesNotContain(procman.Events, e => e.Id is MasterEvent.WorkerExited or MasterEvent.WorkerCrashed or MasterEvent.WorkerFailed);
    }

    [Fact]
    public async Task StatusAndDump_StillWork_ForAWorkerRunningAsNobody()
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        // In a directory only root may enter (TempDirectory is 0700): createdump, which runs as nobody, writes elsewhere and the master moves the dump here.
        var dumps = Directory.CreateDirectory(directory.Combine("dumps")).FullName;
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-u", "nobody", "--control-socket", socket);
        var pid = procman.ReadyWorkers().Single();

        var status = await ProcmanCommand.RunAsync(["status", "--control-socket", socket]);
        var summary = await ProcmanCommand.RunAsync(["dump", "1", "--control-socket", socket]);
        var dump = await ProcmanCommand.RunAsync(["dump", "1", "--dump-dir", dumps, "--control-socket", socket]);

        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains($" {pid} ", status.Output);
        Assert.True(summary.ExitCode == 0, summary.Error);
        Assert.Matches(@"\d+ threads?: ", summary.Output);
        Assert.True(dump.ExitCode == 0, dump.Error);
        var file = Assert.Single(Directory.GetFiles(dumps, "*.dmp"));
        Assert.True(new FileInfo(file).Length > 0);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
        Assert.Equal("0:0", Stat(socket).Split(' ')[0]);
        using var client = procman.CreateClient();
        Assert.Equal(pid, int.Parse(await client.GetStringAsync("/pid"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AHungWorkerRunningAsNobody_GetsItsStacksRead_AndItsDumpKept_BeforeItIsKilled()
    {
        using var dumps = new TempDirectory();
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-u", "nobody", "--timeout", "3", "--dump-dir", dumps.Path);
        var hung = procman.ReadyWorkers().Single();
        using var client = procman.CreateClient();
        client.Timeout = Timeout.InfiniteTimeSpan;

        // The answer itself needs the pool: it never comes.
        using var blocking = new CancellationTokenSource();
        var block = client.GetAsync("/block?items=300", blocking.Token);
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == hung, EventBound, "the hung worker to be killed");
        await blocking.CancelAsync();
        await block.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Contains("Misbehaviour.BlockForever", procman.Events.Single(e => e.Id == MasterEvent.WorkerStacks).Text("Stacks"));
        var dump = procman.Events.Single(e => e.Id == MasterEvent.DumpWritten).Text("Path");
        Assert.True(new FileInfo(dump).Length > 0, $"dump {dump} is empty");
    }

    [Fact]
    public async Task AWorkerAsNobody_LeavesNoRuntimeFileBehindInTmp_WhenItExits()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-u", "nobody");
        var pid = procman.ReadyWorkers().Single();
        // The runtime names its files by pid and the process's start time: a file of an earlier process with the
        // same pid (one a test killed) differs in the second part.
        var started = File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[19];
        string[] files = [$"dotnet-diagnostic-{pid}-{started}-socket", $"clr-debug-pipe-{pid}-{started}-in", $"clr-debug-pipe-{pid}-{started}-out"];
        Assert.Contains(Directory.GetFiles(Path.GetTempPath()), file => Path.GetFileName(file) == files[0]);

        Assert.True(procman.Signal(Native.SigTerm));
        Assert.Equal(0, await procman.WaitForExitAsync(EventBound));

        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath()), file => files.Contains(Path.GetFileName(file)));
    }

    [Fact]
    public async Task AnAppTheUserCannotRead_FailsItsWorkersBoot_SayingSo()
    {
        using var directory = new TempDirectory();
        // CreateTempSubdirectory makes it 0700: root's alone.
        var app = Path.Combine(directory.Path, "app");
        CopyDirectory(Path.GetDirectoryName(Paths.TestApp)!, app);
        await using var procman = ProcmanHost.Start(Path.Combine(app, Path.GetFileName(Paths.TestApp)), ["-w", "1", "-u", "nobody"], workingDirectory: directory.Path);

        Assert.Equal(3, await procman.WaitForExitAsync(EventBound));
        var failure = Assert.Single(procman.Events, e => e.Id == MasterEvent.WorkerFailed);
        Assert.Contains("cannot be read by uid 65534, the user the workers run as", failure.Text("Tail"));
    }

    [Theory]
    [InlineData(new[] { "-u", "no-such-user" }, "procman: error: user 'no-such-user' does not exist; give a user name from the user database (getent passwd) or a numeric uid")]
    [InlineData(new[] { "-u", "nobody", "-g", "no-such-group" }, "procman: error: group 'no-such-group' does not exist")]
    [InlineData(new[] { "--initgroups" }, "procman: error: initgroups needs user: set user (-u) to the user whose groups the workers get, or drop --initgroups")]
    public async Task AnImpossibleUserOrGroup_IsOneErrorLine_AndExitTwo_WithNothingStarted(string[] arguments, string expected)
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("app.sock");

        var run = await ProcmanCommand.RunAsync(["run", Paths.TestApp, "-b", $"unix:{socket}", .. arguments]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, run.Error);
        Assert.Single(run.Error.Split('\n'));
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task AsNobody_AskingForRoot_IsRefusedInOneLine_AndAskingForItself_ChangesNothing()
    {
        using var directory = OpenDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_111_111);
        var socket = directory.Combine("app.sock");

        var refused = await ProcmanCommand.RunAsync(["run", Paths.TestApp, "-b", $"unix:{socket}", "-u", "root", "--no-control-socket"], user: "nobody");
        var itself = await ProcmanCommand.RunAsync(["run", Paths.TestApp, "-b", $"unix:{socket}", "-u", "nobody", "-g", "nogroup", "--check-config"], user: "nobody");

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(
            "procman: error: running the workers as root (uid 0) and group root (gid 0) needs procman to start as root, and it runs as uid 65534, gid 65534; start procman as root, or leave user and group unset to run the workers as procman's own user",
            refused.Error);
        Assert.False(File.Exists(socket));
        Assert.True(itself.ExitCode == 0, itself.Error);
    }

    [Theory]
    [InlineData(true, 0b111_000_000, "is owned by uid 65534, not by procman's uid 0")]
    [InlineData(false, 0b111_111_111, "is writable by its group or by others (mode 777)")]
    public async Task AHostileRuntimeDirectory_IsRefusedInOneLine(bool ownedByNobody, int mode, string expected)
    {
        using var directory = new TempDirectory();
        var runtime = Directory.CreateDirectory(directory.Combine("procman")).FullName;
        File.SetUnixFileMode(runtime, (UnixFileMode)mode);
        if (ownedByNobody)
        {
            Run("chown", "nobody", runtime);
        }

        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1"], new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = directory.Path });

        Assert.Equal(2, await procman.WaitForExitAsync(EventBound));
        var line = Assert.Single(procman.Output.Split('\n'), line => line.StartsWith("procman: error: ", StringComparison.Ordinal));
        Assert.Equal($"procman: error: the runtime directory {runtime} {expected}; remove it (procman creates it, mode 0700) or set control_socket elsewhere", line);
        Assert.Empty(Directory.GetFileSystemEntries(runtime));
    }

    /// <summary>A directory anyone may enter and write, for files the workers write as nobody.</summary>
    private static TempDirectory OpenDirectory()
    {
        var directory = new TempDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_111_111);
        return directory;
    }

    private static async Task WaitForLineAsync(string log, string request, HttpClient client)
    {
        var deadline = DateTime.UtcNow + EventBound;
        while (!File.Exists(log) || !File.ReadAllText(log).Contains(request, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no access line for {request} reached {log}");
            await client.GetStringAsync(request[4..]);
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until each ready worker has written a line of its own to <paramref name="log"/>.</summary>
    private static async Task WaitUntilEveryWorkerWritesToAsync(string log, ProcmanHost procman)
    {
        var deadline = DateTime.UtcNow + EventBound;
        var pending = procman.ReadyWorkers().ToHashSet();
        while (pending.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"workers {string.Join(", ", pending)} wrote nothing to {log}");
            // One connection, so one worker: the second request is logged by the worker that answered the first.
            using var client = procman.CreateClient(keepAlive: true);
            var pid = await client.GetStringAsync("/pid");
            await client.GetStringAsync($"/pid?after-reopen-{pid}");
            await Task.Delay(100);
            var text = File.Exists(log) ? File.ReadAllText(log) : "";
            pending.RemoveWhere(worker => text.Contains($"GET /pid?after-reopen-{worker} ", StringComparison.Ordinal));
        }
    }

    /// <summary>The effective uid and gid of a process, from /proc/PID/status.</summary>
    private static (string User, string Group) Ids(int pid) => (StatusField(pid, "Uid")[1], StatusField(pid, "Gid")[1]);

    private static string Groups(int pid) => string.Join(',', StatusField(pid, "Groups"));

    private static string[] StatusField(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith(name + ":", StringComparison.Ordinal));
        return line[(name.Length + 1)..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>"UID:GID MODE" of a file, the mode in octal.</summary>
    private static string Stat(string path) => Run("stat", "-c", "%u:%g %a", path);

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(EventBound), $"{program} did not end");
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var child in Directory.GetDirectories(from))
        {
            CopyDirectory(child, Path.Combine(to, Path.GetFileName(child)));
        }
    }
}
