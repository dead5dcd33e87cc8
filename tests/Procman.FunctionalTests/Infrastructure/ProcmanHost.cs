using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// A real procman master started by a test, with its output captured. Disposing it kills the master
/// and every worker it ever reported, pass or fail.
/// </summary>
internal sealed class ProcmanHost : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The argument that turns off the warm-up a worker does by default when it boots while another serves (Kestrel's
    /// own, until the JIT is quiet: seconds per worker), for tests whose subject is something else that a reload, a
    /// recycle or a replacement only leads to. The warm-up tests and the reloads under load keep it.
    /// </summary>
    public const string NoWarmup = "--warmup-tier-up-timeout=0";

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<MasterEvent> _events = [];
    private readonly HashSet<int> _workerPids = [];
    private readonly object _lock = new();
    private readonly Task _stdout;
    private readonly Task _stderr;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly bool _ownPidNamespace;

    private ProcmanHost(Process process, bool ownPidNamespace)
    {
        _process = process;
        _ownPidNamespace = ownPidNamespace;
        _stdout = PumpAsync(process.StandardOutput);
        _stderr = PumpAsync(process.StandardError);
    }

    public int Pid => _process.Id;

    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// Starts procman with <c>--log-format json</c>; without a bind or a config file in <paramref name="arguments"/>,
    /// it listens on 127.0.0.1:0.
    /// </summary>
    /// <param name="interruptsIgnored">Start it with SIGINT and SIGQUIT ignored, as a shell starts a background job.</param>
    /// <param name="shellSetup">bash commands run before procman is exec'd in their place, such as redirections it inherits.</param>
    /// <param name="wrapper">
    /// A command that execs procman (systemd-socket-activate, unshare): procman is started as its last arguments,
    /// and gets no default bind.
    /// </param>
    /// <param name="ownPidNamespace">
    /// The wrapper starts procman in a PID namespace of its own: the pids in its events are that namespace's, never
    /// to be signalled from here; disposing kills the namespace's init (the wrapper's child), which ends them all.
    /// </param>
    /// <param name="underDotnetHost">Start <c>dotnet procman.dll</c> instead of the executable.</param>
    public static ProcmanHost Start(string app, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, IEnumerable<string>? appArguments = null, bool interruptsIgnored = false, string? shellSetup = null, IReadOnlyList<string>? wrapper = null, bool ownPidNamespace = false, bool underDotnetHost = false)
    {
        var command = Paths.ProcmanCommandLine(underDotnetHost);
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(app) ?? Environment.CurrentDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("run");
        start.ArgumentList.Add(app);
        var list = arguments.ToList();
        if (wrapper is null && !list.Contains("-b") && !list.Contains("--bind") && !list.Contains("-c"))
        {
            start.ArgumentList.Add("-b");
            start.ArgumentList.Add("127.0.0.1:0");
        }
        foreach (var argument in list)
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--log-format");
        start.ArgumentList.Add("json");
        if (appArguments is not null)
        {
            start.ArgumentList.Add("--");
            foreach (var argument in appArguments)
            {
                start.ArgumentList.Add(argument);
            }
        }
        start.Environment.Remove("PROCMAN_CMD_ARGS");
        start.Environment.Remove("WEB_CONCURRENCY");
        start.Environment.Remove("PORT");
        start.Environment.Remove("FORWARDED_ALLOW_IPS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        if (interruptsIgnored || shellSetup is not null)
        {
            // exec keeps ignored signals ignored, and the fds the shell opened open.
            var setup = interruptsIgnored ? "trap '' INT QUIT; " : "";
            setup += shellSetup is null ? "" : shellSetup + "; ";
            start.ArgumentList.Insert(0, start.FileName);
            start.ArgumentList.Insert(0, setup + "exec \"$0\" \"$@\"");
            start.ArgumentList.Insert(0, "-c");
            start.FileName = "/bin/bash";
        }
        if (wrapper is not null)
        {
            start.ArgumentList.Insert(0, start.FileName);
            for (var i = wrapper.Count - 1; i > 0; i--)
            {
                start.ArgumentList.Insert(0, wrapper[i]);
            }
            start.FileName = wrapper[0];
        }
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return new ProcmanHost(process, ownPidNamespace);
    }

    /// <summary>Starts procman and waits until it listens and <paramref name="workers"/> workers are ready.</summary>
    public static async Task<ProcmanHost> StartReadyAsync(string app, int workers, params string[] arguments)
    {
        var host = Start(app, ["-w", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);
        try
        {
            await host.WaitForEventsAsync(MasterEvent.WorkerReady, workers, StartTimeout);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public IReadOnlyList<MasterEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Pids of the workers that are ready and neither retiring nor gone, per the master's own events.</summary>
    public IReadOnlyList<int> ReadyWorkers()
    {
        var events = Events;
        var gone = events.Where(e => e.Id is MasterEvent.WorkerExited or MasterEvent.WorkerCrashed or MasterEvent.WorkerFailed or MasterEvent.RetiringWorker)
            .Select(e => e.Int("Pid")).ToHashSet();
        return events.Where(e => e.Id == MasterEvent.WorkerReady).Select(e => e.Int("Pid")).Where(pid => !gone.Contains(pid)).Distinct().ToArray();
    }

    /// <summary>The slot a worker was started in, per the master's events.</summary>
    public int SlotOf(int pid) => Events.First(e => e.Id == MasterEvent.WorkerStarted && e.Int("Pid") == pid).Int("Slot");

    public bool Signal(int signal) => Native.Kill(Pid, signal);

    /// <summary>Waits until the master has logged <paramref name="count"/> events with this id in all.</summary>
    public Task<IReadOnlyList<MasterEvent>> WaitForEventsAsync(int id, int count, TimeSpan timeout)
        => WaitForAsync<IReadOnlyList<MasterEvent>>(() =>
        {
            var matching = Events.Where(e => e.Id == id).ToArray();
            return matching.Length >= count ? matching : null;
        }, timeout, $"{count} event(s) with id {id}");

    public Task<MasterEvent> WaitForEventAsync(Func<MasterEvent, bool> predicate, TimeSpan timeout, string what)
        => WaitForAsync(() => Events.FirstOrDefault(predicate), timeout, what);

    /// <summary>Waits for a line of output (a wrapper's, or an event as rendered) containing <paramref name="text"/>.</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
        => WaitForAsync(() =>
        {
            lock (_lock)
            {
                return _lines.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
            }
        }, timeout, $"output containing '{text}'");

    /// <param name="outputShared">
    /// Another process holds procman's stdout and stderr (the new master of an upgrade): the exit is not waited
    /// for beyond the process itself, since the output stays open after it.
    /// </param>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, bool outputShared = false)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"procman did not exit within {timeout.TotalSeconds} s; {ProcessTable.Describe(Pid)}. Output:\n{Output}");
        }
        if (!outputShared)
        {
            await Task.WhenAll(_stdout, _stderr).WaitAsync(TimeSpan.FromSeconds(5));
        }
        return _process.ExitCode;
    }

    public HttpClient CreateClient(bool keepAlive = true)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = keepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (!keepAlive)
        {
            client.DefaultRequestHeaders.ConnectionClose = true;
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        int[] workers;
        lock (_lock)
        {
            workers = [.. _workerPids];
        }
        var children = _process.HasExited ? [] : ProcessTable.ChildrenOf(Pid);
        // A namespace's init first: killing it kills every process in its namespace.
        foreach (var child in _ownPidNamespace ? children : [])
        {
            Native.Kill(child, Native.SigKill);
        }
        if (!_process.HasExited)
        {
            Native.Kill(Pid, Native.SigKill);
        }
        foreach (var pid in workers.Concat(children).Distinct())
        {
            if (ProcessTable.IsAlive(pid))
            {
                Native.Kill(pid, Native.SigKill);
            }
        }
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        // A killed master cannot remove its control socket.
        if (Events.FirstOrDefault(e => e.Id == MasterEvent.ControlListening) is { } control)
        {
            File.Delete(control.Text("Path"));
        }
        _process.Dispose();
    }

    private async Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }
            if (probe() is { } result)
            {
                return result;
            }
            var remaining = deadline - DateTime.UtcNow;
            // Gone for good only when its output has ended and no line came after the probe: a line that came in
            // meanwhile (the last event of a master that has just exited, say) is probed first.
            var ended = _stdout.IsCompleted && _stderr.IsCompleted && !changed.IsCompleted;
            if (remaining <= TimeSpan.Zero || ended)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}. procman output:\n{Output}");
            }
            // Wake on new output, on the end of the output, or at the deadline.
            await Task.WhenAny(changed, Task.Delay(remaining), Task.WhenAll(_stdout, _stderr));
        }
    }

    private Task PumpAsync(StreamReader reader) => Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            var parsed = MasterEvent.TryParse(line);
            TaskCompletionSource changed;
            lock (_lock)
            {
                _lines.Add(parsed is null ? line : $"[{parsed.Id}] {Render(parsed)}");
                if (parsed is not null)
                {
                    _events.Add(parsed);
                    if (parsed.Id == MasterEvent.WorkerStarted && !_ownPidNamespace)
                    {
                        _workerPids.Add(parsed.Int("Pid"));
                    }
                    if (parsed.Id == MasterEvent.Listening && Port == 0)
                    {
                        Port = IPEndPoint.TryParse(parsed.Text("Address"), out var endpoint) ? endpoint.Port : 0;
                    }
                }
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }
    });

    private static string Render(MasterEvent e)
        => Regex.Replace(e.Template, @"\{(\w+)(:[^}]*)?\}", match =>
            e.Properties.TryGetProperty(match.Groups[1].Value, out var value) ? value.ToString() : match.Value);
}
