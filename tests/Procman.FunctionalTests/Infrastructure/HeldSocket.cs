using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// A listening socket the test holds the way systemd holds a .socket unit's: bound once, handed to each procman
/// it starts as fd 3 with LISTEN_FDS=1 and LISTEN_PID naming that procman, and kept open between them, so
/// connections queue in the kernel while no procman runs.
/// </summary>
internal sealed class HeldSocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public HeldSocket()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Listen(1024);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts a procman that gets this socket as systemd passes it.</summary>
    public ProcmanHost StartProcman(string app, IEnumerable<string> arguments)
    {
        var fd = (int)_socket.SafeHandle.DangerousGetHandle();
        var number = fd.ToString(CultureInfo.InvariantCulture);
        // The shell's pid is procman's, since it execs: what LISTEN_PID must name. It moves the fd to 3 as systemd
        // does. Process tests run one at a time, so only this child inherits the fd while it is inheritable.
        var script = $"export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$@\" 3<&{number} {number}<&-";
        Native.SetInheritable(fd, inheritable: true);
        try
        {
            return ProcmanHost.Start(app, arguments, wrapper: ["bash", "-c", script, "procman"]);
        }
        finally
        {
            Native.SetInheritable(fd, inheritable: false);
        }
    }

    public void Dispose() => _socket.Dispose();
}
