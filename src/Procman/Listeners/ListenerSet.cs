using System.Net;
using System.Net.Sockets;
using Procman.Configuration;
using Procman.Native;
using Procman.Protocol;

namespace Procman.Listeners;

/// <summary>The master's listening sockets, bound before any worker starts.</summary>
internal sealed class ListenerSet : IDisposable
{
    private readonly List<Listener> _listeners;
    private readonly IReadOnlyList<Listener> _activated;

    private ListenerSet(List<Listener> listeners, IReadOnlyList<Listener> activated)
    {
        _listeners = listeners;
        _activated = activated;
    }

    public IReadOnlyList<Listener> Listeners => _listeners;

    /// <summary>Binds every address, or none: on failure the ones already bound are closed again.</summary>
    /// <param name="umask">Applied while unix socket files are created, so that it sets their permissions.</param>
    /// <param name="reusePort">Give each worker slot a socket of its own on every TCP address.</param>
    /// <param name="owner">Who gets the unix socket files procman creates (the workers' user and group); null leaves them procman's.</param>
    /// <param name="activated">
    /// Sockets systemd passed: an address that matches one is served on it instead of being bound, and every one of
    /// them is served whether an address matches it or not, in this set and in every set a reload makes from it.
    /// </param>
    /// <exception cref="ProcmanException">An address could not be bound; the message says which and why.</exception>
    public static ListenerSet Bind(IEnumerable<BindAddress> addresses, int backlog, int umask, bool reusePort, IReadOnlyList<Listener>? activated = null, WorkerCredentials? owner = null)
        => new ListenerSet([], activated ?? []).Rebind(addresses, backlog, umask, reusePort, owner);

    /// <summary>
    /// The listeners for a new set of addresses (a reload): those this set already has are shared, not bound
    /// again, so their queued connections and their port survive; the others are bound now.
    /// </summary>
    /// <exception cref="ProcmanException">An address could not be bound; nothing new stays bound.</exception>
    public ListenerSet Rebind(IEnumerable<BindAddress> addresses, int backlog, int umask, bool reusePort, WorkerCredentials? owner = null)
    {
        var listeners = new List<Listener>();
        var fresh = new List<Listener>();
        try
        {
            foreach (var address in addresses)
            {
                if (_activated.FirstOrDefault(activated => Matches(activated, address)) is { } passed)
                {
                    if (!listeners.Contains(passed))
                    {
                        listeners.Add(passed);
                    }
                    continue;
                }
                if (_listeners.FirstOrDefault(existing => existing.Address == address && existing.SocketFileIntact) is { } kept)
                {
                    if (kept.PerSlot != (reusePort && address is BindAddress.Tcp))
                    {
                        throw new ProcmanException(
                            $"reuse_port cannot change while procman runs ({address} is bound {(kept.PerSlot ? "with" : "without")} it); set it back, or restart procman to change it",
                            ExitCodes.UsageError);
                    }
                    if (!kept.PerSlot)
                    {
                        // A slot's socket takes the new backlog from its next worker's Kestrel, which listens again.
                        kept.Socket.Listen(backlog);
                    }
                    listeners.Add(kept);
                    continue;
                }
                var listener = address switch
                {
                    BindAddress.Tcp tcp when reusePort => BindAnchor(tcp),
                    BindAddress.Tcp tcp => BindTcp(tcp, backlog),
                    BindAddress.Unix unix => BindUnix(unix, backlog, umask, owner),
                    BindAddress.FileDescriptor fd => Adopt(fd),
                    _ => throw new ArgumentOutOfRangeException(nameof(addresses)),
                };
                fresh.Add(listener);
                listeners.Add(listener);
                if (!listener.PerSlot)
                {
                    // .NET creates every socket with SOCK_CLOEXEC; clearing it is what lets workers inherit it.
                    Libc.SetInheritable(listener.Fd, inheritable: true);
                }
            }
            listeners.AddRange(_activated.Where(activated => !listeners.Contains(activated)));
            return new ListenerSet(listeners, _activated);
        }
        catch
        {
            fresh.ForEach(listener => listener.Dispose());
            throw;
        }
    }

    /// <summary>Whether a configured address names the socket systemd passed: same IP and port, same path, or its fd.</summary>
    private static bool Matches(Listener activated, BindAddress address) => (address, activated.Socket.LocalEndPoint) switch
    {
        _ when activated.Inherited && activated.Address == address => true,
        (BindAddress.FileDescriptor fd, _) => fd.Fd == activated.ActivatedFd,
        (BindAddress.Unix unix, UnixDomainSocketEndPoint bound) => unix.Path == bound.ToString(),
        (BindAddress.Tcp tcp, IPEndPoint bound) => tcp.Port != 0 && tcp.Port == bound.Port && TryResolve(tcp) is { } ip && ip.Equals(bound.Address),
        _ => false,
    };

    private static IPAddress? TryResolve(BindAddress.Tcp address)
    {
        try
        {
            return Resolve(address);
        }
        catch (ProcmanException)
        {
            return null;
        }
    }

    /// <summary>Closes the listeners of this set that <paramref name="successor"/> does not share.</summary>
    public void DisposeExcept(ListenerSet successor)
    {
        foreach (var listener in _listeners.Where(listener => !successor._listeners.Contains(listener)))
        {
            listener.Dispose();
        }
    }

    public void Dispose() => _listeners.ForEach(listener => listener.Dispose());

    /// <summary>A new master serves these sockets now (SIGUSR2): closing them here leaves their files and their queues alone.</summary>
    public void HandOver() => _listeners.ForEach(listener => listener.HandOver());

    /// <summary>
    /// Binds and listens on one TCP address, for the master's own use (admin_bind): close-on-exec, so no worker
    /// inherits it.
    /// </summary>
    /// <exception cref="ProcmanException">The address could not be bound.</exception>
    public static Listener BindPrivate(BindAddress.Tcp address, int backlog) => BindTcp(address, backlog);

    /// <summary>Closes the master's copies of a slot's own sockets: that slot is gone.</summary>
    public void Release(int slot) => _listeners.ForEach(listener => listener.Release(slot));

    private static Listener BindTcp(BindAddress.Tcp address, int backlog)
    {
        var socket = BindExclusive(address, Resolve(address));
        try
        {
            socket.Listen(backlog);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ProcmanException(BindError(address.ToString(), ex), ExitCodes.BindFailure);
        }
        return Listener.Shared(address, socket, Display(socket));
    }

    /// <summary>
    /// Binds the socket that holds a per-slot address. The address is first bound without SO_REUSEPORT, so that
    /// a port another process holds is refused as usual rather than shared with it; the anchor then takes
    /// that port with SO_REUSEPORT, which the slots' sockets join.
    /// </summary>
    private static Listener BindAnchor(BindAddress.Tcp address)
    {
        IPEndPoint endpoint;
        using (var probe = BindExclusive(address, Resolve(address)))
        {
            endpoint = (IPEndPoint)probe.LocalEndPoint!;
        }
        var anchor = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Listener.SetReuseAddress(anchor);
            Listener.SetReusePort(anchor);
            anchor.Bind(endpoint);
        }
        catch (SocketException ex)
        {
            anchor.Dispose();
            throw new ProcmanException(BindError(address.ToString(), ex), ExitCodes.BindFailure);
        }
        return Listener.PerSlotAnchor(address, anchor, Display(anchor));
    }

    private static Socket BindExclusive(BindAddress.Tcp address, IPAddress ip)
    {
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Plain SO_REUSEADDR, so a restarted master can bind while old connections sit in TIME_WAIT.
            Listener.SetReuseAddress(socket);
            socket.Bind(new IPEndPoint(ip, address.Port));
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ProcmanException(BindError(address.ToString(), ex), ExitCodes.BindFailure);
        }
    }

    private static string Display(Socket socket)
    {
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        return bound.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound.Address}]:{bound.Port}" : $"{bound.Address}:{bound.Port}";
    }

    private static IPAddress Resolve(BindAddress.Tcp address)
    {
        if (IPAddress.TryParse(address.Host, out var ip))
        {
            return ip;
        }
        if (address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        try
        {
            var addresses = Dns.GetHostAddresses(address.Host);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault()
                ?? throw new SocketException((int)SocketError.HostNotFound);
        }
        catch (SocketException)
        {
            throw new ProcmanException(
                $"cannot bind {address}: host '{address.Host}' does not resolve; use an IP address such as 127.0.0.1 or 0.0.0.0",
                ExitCodes.BindFailure);
        }
    }

    private static Listener BindUnix(BindAddress.Unix address, int backlog, int umask, WorkerCredentials? owner)
    {
        // Checked again here, not only when parsed: the kernel answers both with errors (ENOENT read as "address not
        // available", ENAMETOOLONG an exception from the endpoint) that would not say what to fix.
        if (BindAddress.UnixPathProblem(address.Path) is { } problem)
        {
            throw new ProcmanException($"cannot bind {address}: {problem}", ExitCodes.BindFailure);
        }
        if (Path.GetDirectoryName(address.Path) is { Length: > 0 } directory && !Directory.Exists(directory))
        {
            throw new ProcmanException($"cannot bind {address}: directory {directory} does not exist; create it first", ExitCodes.BindFailure);
        }
        RemoveStaleSocketFile(address);
        // Bound by procman, not by Socket.Bind: a Socket that bound a unix address deletes whatever file is at
        // that path when it is disposed, even one that replaced the socket file since. Listener.Dispose
        // deletes the file only if it is still the one created here.
        Socket socket;
        var previousUmask = Libc.Umask((uint)umask);
        try
        {
            socket = new Socket(new SafeSocketHandle(Libc.BindUnixSocket(address.Path), ownsHandle: true));
        }
        catch (SocketException ex)
        {
            throw new ProcmanException(BindError(address.ToString(), ex), ExitCodes.BindFailure);
        }
        finally
        {
            Libc.Umask(previousUmask);
        }
        var created = FileIdentity.Of(address.Path);
        try
        {
            // As Gunicorn does: the socket file belongs to the workers' user and group, so the umask's user and group
            // bits speak of them (umask 007: the workers' group, a proxy in it say, may connect; others may not).
            // lchown: a symlink put at the path since the bind is changed itself, never what it points to.
            if (owner is not null)
            {
                Libc.ChangeOwner(address.Path, owner.UserId, owner.GroupId);
            }
            socket.Listen(backlog);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            socket.Dispose();
            throw new ProcmanException(ex is SocketException socketError ? BindError(address.ToString(), socketError) : $"cannot bind {address}: {ex.Message}", ExitCodes.BindFailure);
        }
        return created is { } identity ? Listener.Unix(address, socket, identity) : Listener.Shared(address, socket, address.ToString());
    }

    private static void RemoveStaleSocketFile(BindAddress.Unix address)
    {
        if (!File.Exists(address.Path) && !Directory.Exists(address.Path))
        {
            return;
        }
        if ((File.GetAttributes(address.Path) & FileAttributes.Directory) != 0 || !IsSocketFile(address.Path))
        {
            throw new ProcmanException(
                $"cannot bind {address}: '{address.Path}' exists and is not a socket; remove it or choose another path",
                ExitCodes.BindFailure);
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(address.Path));
        }
        catch (SocketException)
        {
            // Nobody accepts there: the file was left behind by a process that died. Replace it.
            File.Delete(address.Path);
            return;
        }
        throw new ProcmanException(
            $"cannot bind {address}: another process is listening on it; stop that process or choose another path",
            ExitCodes.BindFailure);
    }

    private static bool IsSocketFile(string path)
    {
        // .NET has no file-type query for sockets, but open(2) on a socket file fails with ENXIO
        // (an IOException here) where a regular file opens.
        try
        {
            using var stream = File.OpenRead(path);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Listener Adopt(BindAddress.FileDescriptor address)
    {
        if (!Libc.IsOpen(address.Fd))
        {
            throw new ProcmanException(
                $"cannot use {address}: fd {address.Fd} is not open in procman; pass the fd from the process that starts procman (for example systemd socket activation)",
                ExitCodes.BindFailure);
        }
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(address.Fd, ownsHandle: true));
        }
        catch (SocketException)
        {
            throw new ProcmanException($"cannot use {address}: fd {address.Fd} is not a socket", ExitCodes.BindFailure);
        }
        if (socket.SocketType != SocketType.Stream || !Listener.IsListening(socket))
        {
            throw new ProcmanException($"cannot use {address}: fd {address.Fd} is not a listening stream socket", ExitCodes.BindFailure);
        }
        var display = socket.LocalEndPoint switch
        {
            IPEndPoint ip => $"{ip} ({address})",
            var other => $"{other} ({address})",
        };
        return Listener.Shared(address, socket, display);
    }

    private static string BindError(string address, SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => $"cannot bind {address}: address already in use; stop the process listening there or choose another address with -b",
        SocketError.AccessDenied => $"cannot bind {address}: permission denied; ports below 1024 need root or CAP_NET_BIND_SERVICE, unix sockets need a writable directory",
        SocketError.AddressNotAvailable => $"cannot bind {address}: not an address of this host; use 0.0.0.0 for every interface or 127.0.0.1 for loopback",
        _ => $"cannot bind {address}: {ex.Message}",
    };
}
