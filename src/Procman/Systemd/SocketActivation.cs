using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Procman.Configuration;
using Procman.Listeners;
using Procman.Native;

namespace Procman.Systemd;

/// <summary>
/// The listening sockets systemd passed to procman (sd_listen_fds(3)): LISTEN_FDS sockets from fd 3 on, for the
/// process LISTEN_PID names, named by LISTEN_FDNAMES.
/// </summary>
internal static class SocketActivation
{
    /// <summary>The first fd systemd passes (SD_LISTEN_FDS_START).</summary>
    public const int FirstFd = 3;

    /// <summary>
    /// Adopts the sockets passed to this process, as listeners; none when LISTEN_PID names another process (a
    /// parent's variables that leaked this far) or LISTEN_FDS is absent.
    /// </summary>
    /// <exception cref="ProcmanException">A passed fd is not a listening stream socket; the message says which and what to change.</exception>
    public static IReadOnlyList<Listener> Adopt(IEnvironment environment, int pid)
    {
        if (!int.TryParse(environment.Get(SystemdEnvironment.ListenPid), NumberStyles.None, CultureInfo.InvariantCulture, out var listenPid) || listenPid != pid
            || !int.TryParse(environment.Get(SystemdEnvironment.ListenFds), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return [];
        }
        var names = environment.Get(SystemdEnvironment.ListenFdNames)?.Split(':') ?? [];
        var listeners = new List<Listener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners.Add(AdoptOne(FirstFd + i, i < names.Length && names[i].Length > 0 ? names[i] : null));
            }
        }
        catch
        {
            listeners.ForEach(listener => listener.Dispose());
            throw;
        }
        return listeners;
    }

    private static Listener AdoptOne(int fd, string? name)
    {
        var what = name is null ? $"fd {fd}" : $"fd {fd} ({name})";
        if (!Libc.IsOpen(fd))
        {
            throw new ProcmanException($"socket activation: LISTEN_FDS names {what}, which is not open; check the .socket unit", ExitCodes.BindFailure);
        }
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch (SocketException)
        {
            throw new ProcmanException($"socket activation: {what} is not a socket; check the .socket unit", ExitCodes.BindFailure);
        }
        if (socket.SocketType != SocketType.Stream || !Listener.IsListening(socket))
        {
            socket.Dispose();
            throw new ProcmanException(
                $"socket activation: {what} is not a listening stream socket; use ListenStream= with Accept=no in the .socket unit",
                ExitCodes.BindFailure);
        }
        BindAddress address = socket.LocalEndPoint switch
        {
            IPEndPoint ip => new BindAddress.Tcp(ip.Address.ToString(), ip.Port),
            UnixDomainSocketEndPoint unix => new BindAddress.Unix(unix.ToString()),
            _ => new BindAddress.FileDescriptor(fd),
        };
        // systemd passes its sockets inheritable already; procman's workers rely on it, so make sure.
        Libc.SetInheritable(fd, inheritable: true);
        return Listener.Activated(address, socket, $"{address} (systemd {what})", fd);
    }
}
