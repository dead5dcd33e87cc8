using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Procman.Protocol;
using Procman.Worker.Health;
using Procman.Worker.Privileges;

namespace Procman.Worker.Hosting;

/// <summary>
/// procman's presence inside one worker process: owns the channel to the master, sends heartbeats,
/// attaches to the app's host as it is built, and carries out drains.
/// </summary>
/// <remarks>
/// One instance per worker process, rooted by its reader thread for the life of the process.
/// </remarks>
internal sealed partial class WorkerAgent
{
    // How long a worker whose master died gives its host to stop before it exits regardless.
    private static readonly TimeSpan OrphanExitBound = TimeSpan.FromSeconds(3);

    // A draining worker closes a keep-alive connection once it has been idle this long. Closing an idle
    // connection races with the client's next request on it; a client still using its connection sends
    // that request well within this time and gets Connection: close in its response instead.
    private static readonly TimeSpan IdleGrace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly WorkerSettings _settings;
    private readonly Socket _channel;
    private readonly object _sendLock = new();
    private readonly object _stateLock = new();
    private readonly List<IConnectionListener> _listeners = [];
    private readonly List<PosixSignalRegistration> _signals = [];
    private readonly HealthMonitor _health;
    private IDisposable? _hostingSubscription;
    private IHostApplicationLifetime? _lifetime;
    private ILogger? _logger;
    private bool _attached;
    private bool _drainRequested;

    private WorkerAgent(WorkerSettings settings)
    {
        _settings = settings;
        _channel = new Socket(new SafeSocketHandle(settings.ChannelFd, ownsHandle: true));
        // The channel is this worker's alone: processes the app starts must not inherit it, or the
        // master would not see EOF when this worker dies.
        Native.SetCloseOnExec(settings.ChannelFd);
        // Each worker draws its own limit once: the jitter spreads the workers' recycles apart.
        var maxRequests = RequestTracker.DrawLimit(settings.MaxRequests, settings.MaxRequestsJitter, Random.Shared);
        Requests = new RequestTracker(TimeProvider.System, maxRequests, (served, limit) => Send(new WorkerMessage.MaxRequestsReached(served, limit)));
        _health = new HealthMonitor(TimeProvider.System, settings.HeartbeatInterval, Requests, () => Connections.KeepAlive, Send);
    }

    public WorkerSettings Settings => _settings;

    public ConnectionTracker Connections { get; } = new();

    /// <summary>The requests this worker has served and has in flight, and its max_requests.</summary>
    public RequestTracker Requests { get; }

    /// <summary>The access log, once the host is configured with one; reopened on SIGUSR1.</summary>
    public AccessLog? AccessLog { get; set; }

    /// <summary>Called by the startup hook. Does nothing in a process procman did not start.</summary>
    public static void AttachFromEnvironment()
    {
        var settings = WorkerSettingsCodec.FromEnvironment(Environment.GetEnvironmentVariable);
        if (settings is null)
        {
            return;
        }
        // Before anything else the worker does, and so before any of the app's code.
        CredentialSwitch.Apply(settings.Credentials);
        // Processes the app starts must not mistake themselves for procman workers, nor load procman.
        foreach (var name in WorkerSettingsCodec.Names)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable(WorkerEnvironment.StartupHooks, null);
        new WorkerAgent(settings).Start();
    }

    private void Start()
    {
        // SIGHUP, SIGUSR1 and SIGUSR2 terminate a .NET process that installs no handler. They are the
        // master's signals: a terminal hangup or a stray kill must not take the worker down.
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, static context => context.Cancel = true));
        _signals.Add(PosixSignalRegistration.Create((PosixSignal)12, static context => context.Cancel = true));
        _signals.Add(PosixSignalRegistration.Create((PosixSignal)10, context =>
        {
            context.Cancel = true;
            AccessLog?.Reopen();
        }));
        if (_settings.ProcName is { } name)
        {
            // Initialize runs on the main thread, whose name is the one ps and top show.
            Native.SetThreadName(name);
        }

        var reader = new Thread(ReadChannel) { IsBackground = true, Name = "procman channel" };
        reader.Start();

        _health.Start();

        _hostingSubscription = DiagnosticListener.AllListeners.Subscribe(new HostingObserver(this));
        LegacyHosting.Register(this);
    }

    /// <summary>Called once per host the app builds; procman attaches to the first.</summary>
    private void OnHostBuilding(IHostBuilder builder)
    {
        if (TryAttach())
        {
            ProcmanHostConfigurator.Apply(builder, this);
            Send(new WorkerMessage.Attached());
        }
    }

    /// <summary>Called from procman's hosting startup by a legacy <c>WebHostBuilder</c> as it builds.</summary>
    public void OnWebHostBuilding(IWebHostBuilder builder)
    {
        if (TryAttach())
        {
            ProcmanHostConfigurator.Apply(builder, this);
            Send(new WorkerMessage.Attached());
        }
    }

    private bool TryAttach()
    {
        lock (_stateLock)
        {
            if (_attached)
            {
                return false;
            }
            _attached = true;
        }
        _hostingSubscription?.Dispose();
        LegacyHosting.Restore();
        return true;
    }

    public void OnHostStarting(IHostApplicationLifetime lifetime, ILogger logger)
    {
        bool drainRequested;
        lock (_stateLock)
        {
            _lifetime = lifetime;
            _logger = logger;
            drainRequested = _drainRequested;
        }
        lifetime.ApplicationStarted.Register(() =>
        {
            // ProcmanServer has ended the warm-up by now; this only makes sure no ready worker stays closed.
            AcceptConnections();
            Send(new WorkerMessage.Ready());
        });
        if (drainRequested)
        {
            lifetime.StopApplication();
        }
    }

    public void Track(IConnectionListener listener)
    {
        bool draining;
        lock (_stateLock)
        {
            _listeners.Add(listener);
            draining = _drainRequested;
        }
        if (draining)
        {
            _ = listener.UnbindAsync().AsTask();
        }
    }

    private void BeginDrain(TimeSpan bound)
    {
        IConnectionListener[] listeners;
        IHostApplicationLifetime? lifetime;
        lock (_stateLock)
        {
            if (_drainRequested)
            {
                return;
            }
            _drainRequested = true;
            listeners = [.. _listeners];
            lifetime = _lifetime;
        }

        Send(new WorkerMessage.Draining());
        var idle = Connections.StartDraining();
        Log(logger => WorkerLog.Draining(logger, _settings.WorkerId, Connections.Open));
        foreach (var listener in listeners)
        {
            _ = listener.UnbindAsync().AsTask();
        }
        if (lifetime is null)
        {
            // Not started yet: OnHostStarting stops it as soon as it can.
            return;
        }
        _ = DrainAsync(idle, bound, lifetime);
    }

    /// <summary>
    /// Waits for the connections to close, then stops the host. A long-lived request (a WebSocket, server-sent events,
    /// a gRPC stream) cannot be ended with <c>Connection: close</c>: once nothing else is left, the app is told through
    /// <c>ApplicationStopping</c>, so that it can end them itself; whatever is still open when the graceful timeout
    /// passes is closed.
    /// </summary>
    /// <remarks>
    /// Stopping the host earlier would close idle keep-alive connections at once, racing their clients' next requests:
    /// the app is told only when every connection left is busy with a long-lived request.
    /// </remarks>
    private async Task DrainAsync(Task idle, TimeSpan bound, IHostApplicationLifetime lifetime)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        var told = false;
        while (!idle.IsCompleted && Stopwatch.GetTimestamp() < deadline)
        {
            Connections.CloseIdle(IdleGrace);
            if (!told && Connections.OnlyLongLivedLeft)
            {
                told = true;
                Log(logger => WorkerLog.StoppingForLongLived(logger, _settings.WorkerId, Connections.Open));
                lifetime.StopApplication();
            }
            await Task.WhenAny(idle, Task.Delay(DrainPollInterval)).ConfigureAwait(false);
        }
        if (!idle.IsCompleted)
        {
            Log(logger => WorkerLog.DrainTimedOut(logger, _settings.WorkerId, Connections.Open));
            Connections.AbortAll();
        }
        lifetime.StopApplication();
    }

    private void Log(Action<ILogger> write)
    {
        if (_logger is { } logger)
        {
            write(logger);
        }
    }

    private void OnMasterLost()
    {
        _health.Stop();
        IHostApplicationLifetime? lifetime;
        lock (_stateLock)
        {
            lifetime = _lifetime;
        }
        if (lifetime is null)
        {
            Environment.Exit(1);
            return;
        }
        lifetime.StopApplication();
        Thread.Sleep(OrphanExitBound);
        Environment.Exit(1);
    }

    private void ReadChannel()
    {
        var buffer = new byte[256];
        var pending = new StringBuilder();
        while (true)
        {
            int read;
            try
            {
                read = _channel.Receive(buffer);
            }
            catch (SocketException)
            {
                read = 0;
            }
            if (read == 0)
            {
                OnMasterLost();
                return;
            }
            foreach (var line in ChannelCodec.TakeLines(pending, buffer, read))
            {
                Handle(line);
            }
        }
    }

    private void Handle(string line)
    {
        switch (ChannelCodec.Decode(line))
        {
            case MasterMessage.Drain drain:
                BeginDrain(drain.Deadline);
                break;
            case MasterMessage.Share share:
                Connections.SetShare(share.Connections);
                break;
        }
    }

    private void Send(WorkerMessage message)
    {
        var bytes = Encoding.ASCII.GetBytes(ChannelCodec.Encode(message));
        lock (_sendLock)
        {
            try
            {
                _channel.Send(bytes);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The master is gone; the reader thread sees EOF and stops this worker.
            }
        }
    }
}
