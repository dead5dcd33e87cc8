using System.Net.Sockets;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

public sealed class WorkerPoolTests
{
    [Fact]
    public async Task Run_WithFourWorkers_ServesFromFourDistinctChildrenOfTheMaster()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, workers: 4);
        using var client = procman.CreateClient(keepAlive: false);

        var seen = new HashSet<int>();
        for (var attempt = 0; attempt < 2000 && seen.Count < 4; attempt++)
        {
            seen.Add(int.Parse(await client.GetStringAsync("/pid")));
        }

        Assert.Equal(4, seen.Count);
        Assert.All(seen, pid => Assert.Equal(procman.Pid, ProcessTable.ParentOf(pid)));
        Assert.Equal(seen.Order(), procman.ReadyWorkers().Order());
    }

    [Fact]
    public async Task KillWorker_IsReplaced_AndThePortNeverRefusesAConnection()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, ProcmanHost.NoWarmup);
        var victim = procman.ReadyWorkers()[0];
        using var probing = new CancellationTokenSource();
        var refused = 0;
        var connections = 0;
        var probe = Task.Run(async () =>
        {
            while (!probing.IsCancellationRequested)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(procman.BaseAddress.Host, procman.Port);
                    Interlocked.Increment(ref connections);
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        });

        Assert.True(Native.Kill(victim, Native.SigKill));
        var replacement = await procman.WaitForEventAsync(
            e => e.Id == MasterEvent.WorkerReady && e.Int("Pid") != victim && e.Int("Slot") == procman.SlotOf(victim),
            TimeSpan.FromSeconds(30), "the replacement worker to be ready");
        await probing.CancelAsync();
        await probe;

        Assert.Equal(0, refused);
        Assert.True(connections > 0);
        Assert.Contains(procman.Events, e => e.Id == MasterEvent.WorkerCrashed && e.Int("Pid") == victim && e.Text("Exit").Contains("SIGKILL"));
        Assert.Equal(procman.Pid, ProcessTable.ParentOf(replacement.Int("Pid")));
        Assert.Equal(2, procman.ReadyWorkers().Count);
    }

    [Fact]
    public async Task AWorkerKilledBySignal_LeavesNoRuntimeFilesInItsTmpdir()
    {
        using var tmp = new TempDirectory();
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "1"], new Dictionary<string, string> { ["TMPDIR"] = tmp.Path });
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
        var victim = procman.ReadyWorkers()[0];
        string[] FilesOf(int pid) => Directory.GetFiles(tmp.Path, $"*-{pid}-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        // The runtime's diagnostics socket and debugger pipes, which it removes itself only when it exits normally.
        var before = FilesOf(victim);
        Assert.Contains(before, name => name.StartsWith($"dotnet-diagnostic-{victim}-", StringComparison.Ordinal) && name.EndsWith("-socket", StringComparison.Ordinal));
        Assert.Contains(before, name => name.StartsWith($"clr-debug-pipe-{victim}-", StringComparison.Ordinal));

        Assert.True(Native.Kill(victim, Native.SigKill));
        var replacement = await procman.WaitForEventAsync(
            e => e.Id == MasterEvent.WorkerReady && e.Int("Pid") != victim, TimeSpan.FromSeconds(30), "the replacement worker to be ready");

        Assert.Empty(FilesOf(victim));
        Assert.Equal(before.Length, FilesOf(replacement.Int("Pid")).Length);
    }

    [Fact]
    public async Task CrashOnRequest_OtherWorkerKeepsServing_AndTheCrashIsReplaced()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, ProcmanHost.NoWarmup);
        using var client = procman.CreateClient(keepAlive: false);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync("/crash"));
        var crash = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerCrashed, TimeSpan.FromSeconds(30), "the crash to be logged");
        Assert.Contains("exit code 42", crash.Text("Exit"));

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("ok\n", await client.GetStringAsync("/"));
        }
        await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerReady && e.Int("Slot") == crash.Int("Slot") && e.Int("Pid") != crash.Int("Pid"),
            TimeSpan.FromSeconds(30), "the crashed worker's replacement");
    }

    [Fact]
    public async Task UnixSocket_ReplacesAStaleFile_ServesRequests_AndItsFileIsRemovedOnStop()
    {
        var path = Path.Combine(Path.GetTempPath(), $"procman-test-{Guid.NewGuid():N}.sock");
        CreateStaleSocketFile(path);
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "-b", $"unix:{path}");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });

        Assert.Equal("ok\n", await client.GetStringAsync("http://localhost/"));
        procman.Signal(Native.SigTerm);
        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task UnixSocket_WithALiveListener_IsRefusedWithExitFive()
    {
        var path = Path.Combine(Path.GetTempPath(), $"procman-test-{Guid.NewGuid():N}.sock");
        using var squatter = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        squatter.Bind(new UnixDomainSocketEndPoint(path));
        squatter.Listen();

        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-b", $"unix:{path}"]);

        Assert.Equal(5, await procman.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("another process is listening on it", procman.Output);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task UnixSocket_ReplacedByARegularFileWhileRunning_IsNotDeletedOnStop()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("app.sock");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "-b", $"unix:{path}");

        File.Delete(path);
        File.WriteAllText(path, "someone else's file");
        procman.Signal(Native.SigTerm);

        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("someone else's file", File.ReadAllText(path));
    }

    [Fact]
    public async Task UnixSocket_RemovedWhileRunning_IsBoundAgainOnHup_AndLogged()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("app.sock");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "-b", $"unix:{path}", ProcmanHost.NoWarmup);

        File.Delete(path);
        procman.Signal(Native.SigHup);
        var recreated = await procman.WaitForEventAsync(e => e.Id == MasterEvent.SocketFileRecreated, TimeSpan.FromSeconds(30), "the socket file to be bound again");
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, TimeSpan.FromSeconds(30));

        Assert.Equal($"unix:{path}", recreated.Text("Address"));
        using var client = UnixClient(path);
        Assert.Equal("ok\n", await client.GetStringAsync("http://localhost/"));
        procman.Signal(Native.SigTerm);
        Assert.Equal(0, await procman.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(path));
    }

    private static HttpClient UnixClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });

    /// <summary>Leaves a socket file nobody listens on, as a process that died would.</summary>
    private static void CreateStaleSocketFile(string path)
    {
        var bound = path + ".bound";
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(bound));
        socket.Listen();
        // Disposing deletes the file the socket was bound to; moved away first, it survives the socket.
        File.Move(bound, path);
    }
}
