using System.Globalization;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Listeners;
using Procman.Native;
using Procman.Protocol;
using Procman.Systemd;

namespace Procman.Workers;

/// <summary>Starts worker processes running the app, with procman's startup hook and sockets.</summary>
/// <remarks>
/// Only the arbiter loop calls <see cref="Launch"/>, one launch at a time. That matters: a worker's end of
/// its channel is inheritable only between the two lines around <see cref="ChildProcess.Start"/>, and no other
/// process may be started in that window, or it would inherit that channel too.
/// </remarks>
internal sealed partial class ProcessWorkerLauncher : IWorkerLauncher
{
    /// <summary>Variables through which an app chooses its own addresses; workers must use procman's sockets only.</summary>
    private static readonly string[] AddressVariables =
        ["ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS"];

    private readonly ProcmanOptions _options;
    private readonly ListenerSet _listeners;
    private readonly ChannelWriter<ArbiterEvent> _events;
    private readonly HeartbeatInbox _heartbeats;
    private readonly ILogger<ProcessWorkerLauncher> _logger;
    private readonly WorkerOutput _output;
    private readonly string _fileName;
    private readonly IReadOnlyList<string> _arguments;
    private readonly Dictionary<string, string> _environment;
    private readonly WorkerSettings _settings;
    private readonly BootPriority? _bootPriority;

    public ProcessWorkerLauncher(ProcmanOptions options, ListenerSet listeners, ChannelWriter<ArbiterEvent> events, HeartbeatInbox heartbeats, IEnvironment environment, WorkerOutput output, ILogger<ProcessWorkerLauncher> logger)
    {
        _options = options;
        _listeners = listeners;
        _events = events;
        _heartbeats = heartbeats;
        _output = output;
        _logger = logger;
        var appPath = options.App.Path;
        _fileName = options.App.IsDll ? DotnetHost.Find() : appPath;
        _arguments = options.App.IsDll ? [appPath, .. options.App.Arguments] : options.App.Arguments;
        _settings = SettingsFor(options);
        _bootPriority = BootPriority.For(options.BootNice);
        _environment = BuildEnvironment(environment.All());
    }

    public IWorkerHandle Launch(long key, int slot, IReadOnlySet<int> servingSlots)
    {
        var listeners = _listeners.Listeners;
        var othersServing = OthersServe(slot, servingSlots, perSlot: listeners.Any(listener => listener.PerSlot));
        var sockets = listeners.Select(listener => listener.SocketFor(slot)).ToArray();
        // A slot's own sockets are inheritable only while its worker starts: a worker holding another slot's
        // socket would keep it in the kernel's group after that slot is gone, with nobody accepting from it.
        var own = sockets.Where((_, i) => listeners[i].PerSlot).Select(Listener.FdOf).ToArray();
        var (masterEnd, workerEnd) = Libc.CreateSocketPair();
        try
        {
            var environment = new Dictionary<string, string>(_environment, StringComparer.Ordinal);
            var settings = _settings with
            {
                WorkerId = slot,
                ChannelFd = workerEnd,
                ListenFds = sockets.Select(Listener.FdOf).ToArray(),
                WarmupTierUpTimeout = othersServing ? _settings.WarmupTierUpTimeout : TimeSpan.Zero,
            };
            foreach (var (name, value) in WorkerSettingsCodec.ToEnvironment(settings))
            {
                environment[name] = value;
            }

            Libc.SetInheritable(workerEnd, inheritable: true);
            foreach (var fd in own)
            {
                Libc.SetInheritable(fd, inheritable: true);
            }
            var process = ChildProcess.Start(_fileName, _arguments, environment, Environment.CurrentDirectory, _bootPriority);
            // Where the worker's runtime keeps its files: TMPDIR, or /tmp, as the runtime decides.
            var temp = environment.TryGetValue("TMPDIR", out var tmpdir) && tmpdir.Length > 0 ? tmpdir : "/tmp";
            return new WorkerProcess(key, slot, process, new Socket(new SafeSocketHandle(masterEnd, ownsHandle: true)), _events, _heartbeats, _output, temp, _bootPriority);
        }
        catch
        {
            Libc.Close(masterEnd);
            throw;
        }
        finally
        {
            // The worker has its copy now; the master must not hold this end, or it would never see EOF.
            Libc.Close(workerEnd);
            foreach (var fd in own)
            {
                Libc.SetInheritable(fd, inheritable: false);
            }
        }
    }

    private Dictionary<string, string> BuildEnvironment(IReadOnlyDictionary<string, string> inherited)
    {
        var environment = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
        foreach (var (name, value) in _options.Environment)
        {
            environment[name] = value;
        }

        var ignored = AddressVariables.Where(name => environment.TryGetValue(name, out var value) && value.Length > 0)
            .Select(name => $"{name}={environment[name]}")
            .ToArray();
        if (ignored.Length > 0)
        {
            LogAddressVariablesIgnored(string.Join(", ", ignored), string.Join(", ", _listeners.Listeners.Select(l => l.Display)));
        }
        foreach (var name in AddressVariables.Concat(SystemdEnvironment.MasterOnly).Concat(Upgrade.UpgradeEnvironment.MasterOnly))
        {
            environment.Remove(name);
        }
        environment[WorkerEnvironment.AspNetCoreUrls] = WorkerEnvironment.UnattachedUrl;

        var hook = Path.Combine(AppContext.BaseDirectory, WorkerEnvironment.HookAssemblyFile);
        environment[WorkerEnvironment.StartupHooks] = environment.TryGetValue(WorkerEnvironment.StartupHooks, out var hooks) && hooks.Length > 0
            ? hook + Path.PathSeparator + hooks
            : hook;
        // Only procman sets procman's variables: one in procman's own environment (say, procman started by a worker's app) must not leak through.
        foreach (var name in WorkerSettingsCodec.Names)
        {
            environment.Remove(name);
        }
        if (_options.Identity?.User is { } user)
        {
            // What a login as that user would have, as systemd's User= gives it: root's HOME would send the app's
            // per-user files (ASP.NET Core's data protection keys, the .NET CLI's) to a directory it cannot write.
            foreach (var (name, value) in new[] { ("HOME", user.Home), ("USER", user.Name), ("LOGNAME", user.Name) })
            {
                if (!_options.Environment.Any(pair => pair.Key == name))
                {
                    environment[name] = value;
                }
            }
        }
        // The host's own shutdown timeout (5 s by default) would cut requests short of the graceful timeout.
        environment.TryAdd("DOTNET_shutdownTimeoutSeconds", ((int)Math.Ceiling(_options.GracefulTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        return environment;
    }

    /// <summary>The settings every worker of this plan gets; <see cref="Launch"/> adds each one's own fds and slot.</summary>
    /// <summary>
    /// Whether another worker serves the clients of <paramref name="slot"/>'s new worker while it boots: any ready one on
    /// a shared socket; on a socket of the slot's own (<paramref name="perSlot"/>, reuse_port), where the kernel queues
    /// a share of the connections whoever accepts, only one of the same slot (a reload's or a recycle's predecessor).
    /// </summary>
    internal static bool OthersServe(int slot, IReadOnlySet<int> servingSlots, bool perSlot) =>
        perSlot ? servingSlots.Contains(slot) : servingSlots.Count > 0;

    private static WorkerSettings SettingsFor(ProcmanOptions options) => new()
    {
        Backlog = options.Backlog,
        KeepAlive = options.KeepAlive,
        MaxConnections = options.WorkerConnections,
        LimitRequestLine = options.LimitRequestLine,
        LimitRequestFields = options.LimitRequestFields,
        LimitRequestFieldSize = options.LimitRequestFieldSize,
        CertFile = options.CertFile,
        KeyFile = options.KeyFile,
        ForwardedAllowIps = options.ForwardedAllowIps,
        SecureSchemeHeaders = options.SecureSchemeHeaders,
        RootPath = options.RootPath is { Length: > 0 } root ? root : null,
        HttpProtocols = options.HttpProtocols,
        Http2PriorKnowledge = options.Http2PriorKnowledge,
        AccessLog = options.AccessLog,
        AccessLogFormat = options.AccessLogFormat,
        ProcName = options.ProcName,
        MaxRequests = options.MaxRequests,
        MaxRequestsJitter = options.MaxRequests > 0 ? options.MaxRequestsJitter : 0,
        WarmupPaths = options.WarmupPaths,
        WarmupRequests = options.WarmupRequests,
        // Half of boot_timeout leaves the other half to the app's own start: a worker whose warm-up hangs still says
        // it is ready before the master gives up on it. The tier-up part gets at most half of that, so that it ends
        // by its own bound, with the requests before it done, rather than as a warm-up cut short.
        WarmupTimeout = options.BootTimeout / 2,
        WarmupTierUpTimeout = TimeSpan.FromTicks(Math.Min(options.WarmupTierUpTimeout.Ticks, (options.BootTimeout / 4).Ticks)),
        Credentials = options.Identity?.Credentials,
    };

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Ignoring {Variables} for the workers: they listen only on {Listeners}")]
    private partial void LogAddressVariablesIgnored(string variables, string listeners);
}
