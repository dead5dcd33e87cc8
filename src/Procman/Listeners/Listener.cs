using System.Net;
using System.Net.Sockets;
using Procman.Configuration;
using Procman.Native;

namespace Procman.Listeners;

/// <summary>
/// One address the master listens on: either a socket every worker inherits and accepts from (one shared
/// accept queue), or, with <c>reuse_port</c>, one SO_REUSEPORT socket per worker slot.
/// </summary>
/// <remarks>
/// The sockets must stay referenced for the whole run: a collected socket closes its fd, and the next
/// worker started would find a different file (or none) under that number.
/// </remarks>
internal sealed class Listener : IDisposable
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoReusePort = 15;

    private readonly Dictionary<int, Socket> _slotSockets = [];

    private readonly FileIdentity? _socketFile;

    // Cleared once a new master serves this socket (SIGUSR2), and until the old master let go for one that inherited
    // it: the file is the other master's to remove then.
    private bool _ownsFile;

    private Listener(BindAddress address, Socket socket, string display, bool perSlot, FileIdentity? socketFile = null, int? activatedFd = null, bool inherited = false)
    {
        Address = address;
        Socket = socket;
        Display = display;
        PerSlot = perSlot;
        _socketFile = socketFile;
        ActivatedFd = activatedFd;
        Inherited = inherited;
        _ownsFile = !inherited;
    }

    public BindAddress Address { get; }

    /// <summary>
    /// The shared listening socket; for a per-slot listener, the socket that holds the address while the slots'
    /// sockets come and go (bound, never listening, so the kernel gives it no connection).
    /// </summary>
    public Socket Socket { get; }

    /// <summary>What the socket is bound to, with the real port when port 0 was asked for.</summary>
    public string Display { get; }

    /// <summary>Whether each worker slot has a socket of its own on this address.</summary>
    public bool PerSlot { get; }

    /// <summary>For a socket systemd passed (socket activation): its fd. Such a socket outlives every reload.</summary>
    public int? ActivatedFd { get; }

    /// <summary>
    /// A socket the previous master handed over (SIGUSR2), under the address that master was configured with: a
    /// configured address equal to it is served on it, as a reload keeps a socket it already has.
    /// </summary>
    public bool Inherited { get; }

    /// <summary>The shared socket's fd, inheritable for the whole run.</summary>
    public int Fd => FdOf(Socket);

    public static Listener Shared(BindAddress address, Socket socket, string display) => new(address, socket, display, perSlot: false);

    /// <summary>A unix socket procman bound; <paramref name="socketFile"/> is the socket file it created.</summary>
    public static Listener Unix(BindAddress.Unix address, Socket socket, FileIdentity socketFile) => new(address, socket, address.ToString(), perSlot: false, socketFile);

    /// <summary>
    /// For a unix socket procman bound, whether its file is still there: once it is removed (or replaced), the
    /// socket still accepts, but no client can reach it by its path any more.
    /// </summary>
    public bool SocketFileIntact => _socketFile is not { } created || Address is not BindAddress.Unix unix || FileIdentity.Of(unix.Path) == created;

    public static Listener Activated(BindAddress address, Socket socket, string display, int fd) => new(address, socket, display, perSlot: false, activatedFd: fd);

    public static Listener PerSlotAnchor(BindAddress address, Socket anchor, string display) => new(address, anchor, display, perSlot: true);

    /// <summary>
    /// A socket the previous master passed on SIGUSR2 (<paramref name="perSlot"/>: the anchor of a reuse_port address);
    /// for a unix socket, <paramref name="socketFile"/> is its file, which this master removes when it stops.
    /// </summary>
    /// <param name="slotSockets">For a reuse_port anchor, the slots' own sockets the previous master passed with it.</param>
    public static Listener FromPreviousMaster(BindAddress address, Socket socket, string display, int fd, bool perSlot, FileIdentity? socketFile, IReadOnlyDictionary<int, Socket>? slotSockets = null)
    {
        var listener = new Listener(address, socket, display, perSlot, socketFile, fd, inherited: true);
        foreach (var (slot, slotSocket) in slotSockets ?? new Dictionary<int, Socket>())
        {
            listener._slotSockets[slot] = slotSocket;
        }
        return listener;
    }

    /// <summary>The slots' own sockets, by slot.</summary>
    public IReadOnlyDictionary<int, Socket> SlotSockets => _slotSockets;

    /// <summary>The previous master let go (SIGUSR2): a unix socket's file is this master's to remove from now on.</summary>
    public void TakeOver() => _ownsFile = true;

    /// <summary>
    /// A new master serves this socket from now on: closing it here must leave its file (a unix socket) where it is.
    /// The fd loses close-on-exec too, so that .NET closes it without a shutdown(2), which would stop the new master's
    /// listening as well (the socket is one, in two processes). Only a stopping master, which starts no process
    /// any more, hands its sockets over.
    /// </summary>
    public void HandOver()
    {
        _ownsFile = false;
        Libc.SetInheritable(FdOf(Socket), inheritable: true);
        foreach (var slotSocket in _slotSockets.Values)
        {
            Libc.SetInheritable(FdOf(slotSocket), inheritable: true);
        }
    }

    /// <summary>Sets SO_REUSEADDR only: <see cref="SocketOptionName.ReuseAddress"/> would also set SO_REUSEPORT on Linux.</summary>
    public static void SetReuseAddress(Socket socket) => socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));

    public static void SetReusePort(Socket socket) => socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));

    /// <summary>
    /// The socket worker <paramref name="slot"/> accepts from: the shared one, or that slot's own, bound now if
    /// it has none yet. A slot's socket is bound but not listening until its first worker's Kestrel calls
    /// listen(), so the kernel sends it no connection before a worker is about to accept.
    /// </summary>
    /// <exception cref="SocketException">The slot's socket could not be bound.</exception>
    public Socket SocketFor(int slot)
    {
        if (!PerSlot)
        {
            return Socket;
        }
        if (!_slotSockets.TryGetValue(slot, out var socket))
        {
            var endpoint = (IPEndPoint)Socket.LocalEndPoint!;
            socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = Socket.DualMode;
                }
                SetReuseAddress(socket);
                SetReusePort(socket);
                socket.Bind(endpoint);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            _slotSockets[slot] = socket;
        }
        return socket;
    }

    /// <summary>The slots that have a socket of their own.</summary>
    public IEnumerable<int> Slots => _slotSockets.Keys;

    /// <summary>
    /// Closes the master's copy of a slot's socket: the kernel takes it out of the address's group once the
    /// last worker holding it has exited, and resets the connections still queued on it then.
    /// </summary>
    /// <remarks>
    /// Until then the kernel keeps choosing this socket for a share of new connections. Its backlog is set to
    /// 0 first, so at most one of them queues there; for the others the kernel drops the SYN and the client
    /// sends it again a second later, by when the socket has usually left the group.
    /// </remarks>
    public void Release(int slot)
    {
        if (_slotSockets.Remove(slot, out var socket))
        {
            // One that never listened (no worker of the slot got as far as Kestrel's listen) has nothing queued.
            if (IsListening(socket))
            {
                socket.Listen(0);
            }
            socket.Dispose();
        }
    }

    public static bool IsListening(Socket socket)
        => socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is int accepting && accepting != 0;

    public static int FdOf(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    /// <summary>
    /// Closes the sockets; for a unix socket procman bound, deletes its socket file, but only that one: a file
    /// someone else put at the path since (checked by device and inode) is left alone.
    /// </summary>
    public void Dispose()
    {
        foreach (var socket in _slotSockets.Values)
        {
            socket.Dispose();
        }
        _slotSockets.Clear();
        Socket.Dispose();
        if (_socketFile is not null && _ownsFile && Address is BindAddress.Unix unix && SocketFileIntact)
        {
            try
            {
                File.Delete(unix.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Its directory went away or became read-only: nothing is left to clean, or nothing can be.
            }
        }
    }
}
