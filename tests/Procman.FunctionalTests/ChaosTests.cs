using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>
/// The short version of bench/chaos: mixed keep-alive and connection-per-request load while a seeded random
/// driver kills workers, reloads, adds and removes workers, and workers recycle after --max-requests.
/// The only failures allowed are requests in flight on a worker the test SIGKILLed. A hostile phase follows the
/// random one: a broken config file before a SIGHUP, the access log's directory removed before a SIGUSR1.
/// </summary>
public sealed class ChaosTests
{
    private const int Seed = 20261124;
    private const int Workers = 2;
    private const int FdNoise = 2;
    private const int ThreadNoise = 4;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan KillWindow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);

    private const string GoodConfig = "bind = \"127.0.0.1:0\"\nworkers = 2\n";

    [Fact]
    public async Task Soak_UnderMixedLoadWithRandomFaults_LosesNoRequestButThoseOnKilledWorkers()
    {
        using var directory = new TempDirectory();
        var config = directory.File("procman.conf.py", GoodConfig);
        var logs = Directory.CreateDirectory(directory.Combine("logs")).FullName;
        await using var procman = await StartAsync(config, Path.Combine(logs, "access.log"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var (fdsAtStart, threadsAtStart) = Measure(procman.Pid);

        var load = new ChaosLoad(procman.Port);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(keepAliveClients: 8, closeClients: 4, stop.Token);
        var kills = new List<Kill>();
        var faults = new List<string>();
        var random = new Random(Seed);
        var target = Workers;
        var loadEnd = DateTime.UtcNow + LoadDuration;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            // The first fault is always a kill, so every run has one; then faults at random until the hostile phase.
            var action = 0;
            while (DateTime.UtcNow < loadEnd - TimeSpan.FromSeconds(9))
            {
                switch (action)
                {
                    case <= 2:
                        var live = procman.ReadyWorkers().Where(ProcessTable.IsAlive).Order().ToArray();
                        if (live.Length >= 2)
                        {
                            var victim = live[random.Next(live.Length)];
                            var sent = DateTime.UtcNow;
                            Native.Kill(victim, Native.SigKill);
                            kills.Add(new Kill(victim, sent, DateTime.UtcNow));
                            faults.Add($"SIGKILL {victim}");
                        }
                        break;
                    case <= 4:
                        procman.Signal(Native.SigHup);
                        faults.Add("SIGHUP");
                        break;
                    case <= 6 when target < Workers + 2:
                        target++;
                        procman.Signal(Native.SigTtin);
                        faults.Add("SIGTTIN");
                        break;
                    case > 6 when target > 1:
                        target--;
                        procman.Signal(Native.SigTtou);
                        faults.Add("SIGTTOU");
                        break;
                    default:
                        break;
                }
                await Task.Delay(TimeSpan.FromSeconds(1.5 + random.NextDouble() * 1.5));
                action = random.Next(9);
            }
            await HostileAsync(procman, config, logs, faults);
            var left = loadEnd - DateTime.UtcNow;
            await Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(ChaosLoad.ConnectTimeout + ChaosLoad.RequestTimeout + TimeSpan.FromSeconds(10));
        }

        // A reload sets the count back to the configured one, whatever SIGTTIN and SIGTTOU did (and signals of
        // one kind sent in a row would merge, so they cannot undo each other reliably).
        var reloads = procman.Events.Count(e => e.Id == MasterEvent.ReloadComplete);
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, reloads + 1, SettleTimeout);
        var workersAtEnd = await SettleAsync(procman);
        var (fdsAtEnd, threadsAtEnd) = Measure(procman.Pid);
        var everyWorker = procman.Events.Where(e => e.Id == MasterEvent.WorkerStarted).Select(e => e.Int("Pid")).ToHashSet();
        Assert.True(procman.Signal(Native.SigTerm));
        var exitCode = await procman.WaitForExitAsync(StopTimeout);

        var failures = load.Failures;
        var unacceptable = failures.Where(f => !IsOnAKilledWorker(f, kills)).ToArray();
        var report = $"seed {Seed}; faults: {string.Join(", ", faults)}; requests ok {load.Succeeded}, failed {failures.Count}"
            + $" ({string.Join(", ", failures.GroupBy(f => f.Cause).Select(g => $"{g.Key} {g.Count()}"))}); served by {load.ServedBy.Count} pids\n"
            + $"kills: {string.Join(", ", kills.Select(k => $"{k.Pid} at {k.Sent:HH:mm:ss.fff}-{k.Returned:HH:mm:ss.fff}"))}\n"
            + $"unacceptable:\n{string.Join('\n', unacceptable.Take(20))}\nworker events:\n{WorkerTimeline(procman)}\nprocman output:\n{procman.Output}";
        Assert.True(load.Succeeded > 1000, report);
        Assert.NotEmpty(kills);
        Assert.DoesNotContain(failures, f => f.Cause == FailureCause.ConnectionRefused);
        Assert.True(unacceptable.Length == 0, report);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(everyWorker.Concat(workersAtEnd), ProcessTable.IsAlive);
        Assert.True(fdsAtEnd - fdsAtStart <= FdNoise, $"master fds: {fdsAtStart} after start-up, {fdsAtEnd} at the end\n{report}");
        Assert.True(threadsAtEnd - threadsAtStart <= ThreadNoise, $"master threads: {threadsAtStart} after start-up, {threadsAtEnd} at the end\n{report}");
    }

    /// <summary>
    /// The connection was served by a worker the test killed and failed after the kill; or, pid not known yet,
    /// the request was in flight at a kill and failed within <see cref="KillWindow"/> of it.
    /// </summary>
    /// <remarks>
    /// "In flight at a kill" means started before kill(2) returned, not before the test read the clock ahead
    /// of it: on a loaded machine the test's thread can be held up between the two (preempted, or paused by
    /// its own GC) for tens of milliseconds, during which the victim still accepts. Such a connection,
    /// queued and accepted just before the signal landed, then dies with the victim: one seen started 12 ms
    /// after the clock was read and closed 18 ms later, unanswered, by the victim's exit.
    /// </remarks>
    private static bool IsOnAKilledWorker(RequestFailure failure, IReadOnlyList<Kill> kills)
        => failure.LooksLikeAKilledPeer && (failure.Pid is { } pid
            ? kills.Any(k => k.Pid == pid && failure.End >= k.Sent)
            : kills.Any(k => failure.Start <= k.Returned && failure.End >= k.Sent && failure.End <= k.Returned + KillWindow));

    /// <summary>A SIGKILL the test sent: the clock just before kill(2), and just after it returned.</summary>
    private sealed record Kill(int Pid, DateTime Sent, DateTime Returned);

    /// <summary>
    /// What an operator's mistakes feed a running master: a config file broken before a SIGHUP (refused; the
    /// workers serve on), the access log's directory removed before a SIGUSR1 (a warning; the workers serve on,
    /// and log to the file again once it is back).
    /// </summary>
    private static async Task HostileAsync(ProcmanHost procman, string config, string logs, List<string> faults)
    {
        var refused = procman.Events.Count(e => e.Id == MasterEvent.ReloadRefused);
        await File.WriteAllTextAsync(config, "workers = (\n");
        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadRefused, refused + 1, SettleTimeout);
        await File.WriteAllTextAsync(config, GoodConfig);
        faults.Add("broken config + SIGHUP");

        var warnings = ReopenWarnings(procman);
        Directory.Delete(logs, recursive: true);
        procman.Signal(Native.SigUsr1);
        await procman.WaitForEventAsync(_ => ReopenWarnings(procman) > warnings, SettleTimeout, "a worker's warning that the access log cannot be reopened");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Directory.CreateDirectory(logs);
        procman.Signal(Native.SigUsr1);
        faults.Add("log directory removed + SIGUSR1");
    }

    private static int ReopenWarnings(ProcmanHost procman)
        => procman.Events.Count(e => e.Id == MasterEvent.WorkerOutput && e.Text("Line").Contains("cannot open the access log", StringComparison.Ordinal));

    /// <summary>Starts procman with recycling, so that workers also retire on their own during the run.</summary>
    private static Task<ProcmanHost> StartAsync(string config, string accessLog)
        => ProcmanHost.StartReadyAsync(Paths.TestApp, Workers, "-c", config, "--access-logfile", accessLog, "--capture-output",
            "--max-requests", "4000", "--max-requests-jitter", "1000");

    /// <summary>Waits until exactly the ready workers are the master's children, as many as at start, and 2 s pass without an event.</summary>
    private static async Task<int[]> SettleAsync(ProcmanHost procman)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        var events = -1;
        var quietSince = DateTime.UtcNow;
        while (true)
        {
            var count = procman.Events.Count;
            if (count != events)
            {
                events = count;
                quietSince = DateTime.UtcNow;
            }
            var ready = procman.ReadyWorkers().Where(ProcessTable.IsAlive).Order().ToArray();
            if (ready.Length == Workers && ready.SequenceEqual(ProcessTable.ChildrenOf(procman.Pid).Order()) && DateTime.UtcNow - quietSince >= TimeSpan.FromSeconds(2))
            {
                return ready;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"procman did not settle at {Workers} ready workers within {SettleTimeout.TotalSeconds} s: ready [{string.Join(", ", ready)}], children [{string.Join(", ", ProcessTable.ChildrenOf(procman.Pid))}]\n{procman.Output}");
            await Task.Delay(200);
        }
    }

    private static string WorkerTimeline(ProcmanHost procman) => string.Join('\n', procman.Events
        .Where(e => e.Properties.TryGetProperty("Pid", out _) || e.Id is MasterEvent.ReloadComplete or MasterEvent.ReloadRequested)
        .Select(e => $"{e.Text("@t")} [{e.Id}] {e.Template} {(e.Properties.TryGetProperty("Pid", out var pid) ? pid.ToString() : "")}"));

    /// <summary>
    /// The master's open fds and its threads but the thread pool's workers, which the runtime adds under load and
    /// retires after 20 s idle by design: a leak is a thread procman started (a worker's wait or channel thread) that
    /// outlived its worker.
    /// </summary>
    private static (int Fds, int Threads) Measure(int pid)
        => (Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length,
            Directory.GetDirectories($"/proc/{pid}/task").Count(task => ReadComm(task) != ".NET TP Worker"));

    private static string? ReadComm(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            // The thread ended between the listing and the read.
            return null;
        }
    }
}
