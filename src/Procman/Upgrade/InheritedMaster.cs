using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Listeners;
using Procman.Native;

namespace Procman.Upgrade;

/// <summary>
/// The new master's side of SIGUSR2: the sockets the old master passed (<see cref="UpgradeEnvironment"/>), the
/// "ready" it is told once this master's workers are all ready, and the "go" after which this master serves the
/// control socket and the admin endpoint.
/// </summary>
internal sealed partial class InheritedMaster : IArbiterObserver, IDisposable
{
    private readonly Socket _channel;
    private readonly (int Fd, BindAddress Address)[] _listenerFds;
    private readonly Dictionary<int, Dictionary<int, int>> _slotFds;
    private readonly int? _controlFd;
    private readonly int? _adminFd;
    private readonly TaskCompletionSource _takenOver = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IArbiterObserver? _inner;
    private bool _saidReady;
    private IReadOnlyList<Listener> _adopted = [];

    private InheritedMaster(int oldPid, int channelFd, (int, BindAddress)[] listenerFds, Dictionary<int, Dictionary<int, int>> slotFds, int? controlFd, int? adminFd)
    {
        OldPid = oldPid;
        _channel = new Socket(new SafeSocketHandle(channelFd, ownsHandle: true));
        _listenerFds = listenerFds;
        _slotFds = slotFds;
        _controlFd = controlFd;
        _adminFd = adminFd;
    }

    public int OldPid { get; }

    /// <summary>Completes once the old master has let go of the control socket and the admin endpoint ("go"), or is gone.</summary>
    public Task TakenOver => _takenOver.Task;

    /// <summary>
    /// The old master's hand-over, or null when this procman was not started by one: the variables must name this
    /// process's parent, so that variables leaked to some other process are never taken for a hand-over.
    /// </summary>
    /// <exception cref="ProcmanException">The variables are not what a procman master writes.</exception>
    public static InheritedMaster? FromEnvironment(IEnvironment environment, int parentPid)
    {
        if (!int.TryParse(environment.Get(UpgradeEnvironment.OldMasterPid), NumberStyles.None, CultureInfo.InvariantCulture, out var oldPid) || oldPid != parentPid
            || Fd(environment, UpgradeEnvironment.ChannelFd) is not int channel || !Libc.IsOpen(channel))
        {
            return null;
        }
        var listeners = new List<(int, BindAddress)>();
        foreach (var entry in (environment.Get(UpgradeEnvironment.ListenerFds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fd)
                || !BindAddress.TryParse(Uri.UnescapeDataString(parts[1]), out var address, out _) || address is null)
            {
                throw new ProcmanException($"{UpgradeEnvironment.ListenerFds}: '{entry}' is not FD=ADDRESS; only a procman master sets this variable, for the master it starts on SIGUSR2", ExitCodes.UsageError);
            }
            listeners.Add((fd, address));
        }
        var slots = ParseSlotFds(environment.Get(UpgradeEnvironment.SlotFds) ?? "");
        var control = Fd(environment, UpgradeEnvironment.ControlFd);
        var admin = Fd(environment, UpgradeEnvironment.AdminFd);
        // The old master made these inheritable for this process alone; no worker of this one may inherit them.
        foreach (var fd in new[] { channel, control, admin }.OfType<int>().Where(Libc.IsOpen))
        {
            Libc.SetInheritable(fd, inheritable: false);
        }
        return new InheritedMaster(oldPid, channel, [.. listeners], slots, control, admin);
    }

    /// <summary>"ANCHOR:SLOT=FD:SLOT=FD,...", by anchor fd, then by slot.</summary>
    private static Dictionary<int, Dictionary<int, int>> ParseSlotFds(string value)
    {
        var byAnchor = new Dictionary<int, Dictionary<int, int>>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':');
            var slots = new Dictionary<int, int>();
            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var anchor)
                || !parts.Skip(1).All(part => part.Split('=') is [var slot, var fd]
                    && int.TryParse(slot, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                    && int.TryParse(fd, NumberStyles.None, CultureInfo.InvariantCulture, out var f)
                    && slots.TryAdd(s, f)))
            {
                throw new ProcmanException($"{UpgradeEnvironment.SlotFds}: '{entry}' is not ANCHOR:SLOT=FD:...; only a procman master sets this variable, for the master it starts on SIGUSR2", ExitCodes.UsageError);
            }
            byAnchor[anchor] = slots;
        }
        return byAnchor;
    }

    /// <summary>The listening sockets, as listeners to be served whether or not the configuration still names them.</summary>
    /// <param name="workers">This master's worker count: the slots' own sockets of a reuse_port address beyond it are let go.</param>
    /// <exception cref="ProcmanException">A passed fd is not a listening stream socket.</exception>
    public IReadOnlyList<Listener> AdoptListeners(int workers)
    {
        var adopted = new List<Listener>();
        try
        {
            foreach (var (fd, address) in _listenerFds)
            {
                adopted.Add(Adopt(fd, address, _slotFds.GetValueOrDefault(fd) ?? [], workers));
            }
        }
        catch
        {
            adopted.ForEach(listener => listener.Dispose());
            throw;
        }
        return adopted;
    }

    /// <summary>The old master's control socket when it is bound at <paramref name="path"/> (the configuration may have moved it); else null.</summary>
    public Socket? TakeControlSocket(string? path)
    {
        if (_controlFd is not int fd || !Libc.IsOpen(fd))
        {
            return null;
        }
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        if (path is not null && socket.LocalEndPoint is UnixDomainSocketEndPoint bound && bound.ToString() == path)
        {
            return socket;
        }
        Release(socket);
        return null;
    }

    /// <summary>The old master's admin socket when it serves <paramref name="bind"/> (any port for port 0); else null.</summary>
    public Listener? TakeAdminSocket(BindAddress.Tcp? bind)
    {
        if (_adminFd is not int fd || !Libc.IsOpen(fd))
        {
            return null;
        }
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        if (bind is not null && socket.LocalEndPoint is IPEndPoint bound && (bind.Port == 0 || bind.Port == bound.Port)
            && (bind.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.IsLoopback(bound.Address) : IPAddress.TryParse(bind.Host.Trim('[', ']'), out var ip) && ip.Equals(bound.Address)))
        {
            return Listener.Shared(bind, socket, Display(bound));
        }
        Release(socket);
        return null;
    }

    /// <summary>Says "ready" to the old master once, when this master's workers are all ready; <paramref name="inner"/> (systemd) hears first.</summary>
    public IArbiterObserver Observe(IArbiterObserver? inner)
    {
        _inner = inner;
        return this;
    }

    /// <summary>Listens for the old master's "go" (or its end); <paramref name="logger"/> says when this master takes over.</summary>
    public void Listen(ILogger logger, IReadOnlyList<Listener> adopted)
    {
        _adopted = adopted;
        LogInherited(logger, adopted.Count == 0 ? "no listening socket" : string.Join(", ", adopted.Select(listener => listener.Display)), OldPid);
        _ = ListenAsync(logger);
    }

    public TimeSpan? Pace => _inner?.Pace;

    public void OnChanged(ArbiterStatus status)
    {
        // After systemd has heard MAINPID= and READY=1 from this master, and before the old one exits.
        _inner?.OnChanged(status);
        if (_saidReady || status.Phase != ArbiterPhase.Serving)
        {
            return;
        }
        _saidReady = true;
        try
        {
            _channel.Send("ready\n"u8);
        }
        catch (SocketException)
        {
            // The old master is gone: this one serves alone already.
        }
    }

    public void Dispose() => _channel.Dispose();

    private async Task ListenAsync(ILogger logger)
    {
        var buffer = new byte[256];
        var received = new StringBuilder();
        try
        {
            while (await _channel.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) is var read and > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                if (received.ToString().Contains("go\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Its end closed one way or another: nothing holds this master back any more.
        }
        LogTakenOver(logger, OldPid);
        foreach (var listener in _adopted)
        {
            listener.TakeOver();
        }
        _takenOver.TrySetResult();
    }

    private static Listener Adopt(int fd, BindAddress address, Dictionary<int, int> slotFds, int workers)
    {
        if (!Libc.IsOpen(fd))
        {
            throw new ProcmanException($"upgrade: the old master passed fd {fd} ({address}), which is not open here; start procman afresh", ExitCodes.BindFailure);
        }
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        if (socket.SocketType != SocketType.Stream)
        {
            socket.Dispose();
            throw new ProcmanException($"upgrade: fd {fd} ({address}) is not a stream socket; start procman afresh", ExitCodes.BindFailure);
        }
        var listening = Listener.IsListening(socket);
        // A reuse_port address's anchor is bound and never listens; this master binds its slots' sockets beside it.
        var perSlot = !listening && address is BindAddress.Tcp;
        if (!listening && !perSlot)
        {
            socket.Dispose();
            throw new ProcmanException($"upgrade: fd {fd} ({address}) is not a listening socket; start procman afresh", ExitCodes.BindFailure);
        }
        var display = socket.LocalEndPoint switch
        {
            IPEndPoint ip => Display(ip),
            var other => other?.ToString() ?? address.ToString(),
        };
        FileIdentity? socketFile = address is BindAddress.Unix unix ? FileIdentity.Of(unix.Path) : null;
        if (!perSlot)
        {
            Libc.SetInheritable(fd, inheritable: true);
        }
        return Listener.FromPreviousMaster(address, socket, display, fd, perSlot, socketFile, perSlot ? AdoptSlots(slotFds, address, workers) : null);
    }

    /// <summary>
    /// The slots' own sockets of a reuse_port address: each new worker accepts from its slot's socket, the one the
    /// old worker of that slot accepts from, as across a reload. Close-on-exec again: a slot's socket is inheritable
    /// only while that slot's worker starts. A slot beyond this master's worker count is let go at once, as a scale-down
    /// lets go of it.
    /// </summary>
    private static Dictionary<int, Socket> AdoptSlots(Dictionary<int, int> slotFds, BindAddress address, int workers)
    {
        var sockets = new Dictionary<int, Socket>();
        foreach (var (slot, fd) in slotFds)
        {
            if (!Libc.IsOpen(fd))
            {
                sockets.Values.ToList().ForEach(socket => socket.Dispose());
                throw new ProcmanException($"upgrade: the old master passed fd {fd} (slot {slot} of {address}), which is not open here; start procman afresh", ExitCodes.BindFailure);
            }
            var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            if (slot > workers)
            {
                Release(socket);
                continue;
            }
            Libc.SetInheritable(fd, inheritable: false);
            sockets[slot] = socket;
        }
        return sockets;
    }

    private static int? Fd(IEnvironment environment, string name)
        => int.TryParse(environment.Get(name), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) ? fd : null;

    private static string Display(IPEndPoint bound) => bound.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound.Address}]:{bound.Port}" : $"{bound.Address}:{bound.Port}";

    /// <summary>Closes a passed socket this master does not serve, without a shutdown(2): the old master may still serve it.</summary>
    private static void Release(Socket socket)
    {
        Libc.SetInheritable(Listener.FdOf(socket), inheritable: true);
        socket.Dispose();
    }

    [LoggerMessage(EventId = 138, Level = LogLevel.Information, Message = "Upgrade: inherited {Sockets} from the old master (pid {OldPid}), which serves until this master's workers are all ready")]
    private static partial void LogInherited(ILogger logger, string sockets, int oldPid);

    [LoggerMessage(EventId = 139, Level = LogLevel.Information, Message = "Upgrade: the old master (pid {OldPid}) let go; this master serves the control socket and the admin endpoint from now on")]
    private static partial void LogTakenOver(ILogger logger, int oldPid);
}
