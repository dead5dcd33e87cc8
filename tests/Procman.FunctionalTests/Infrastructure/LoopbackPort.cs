using System.Net;
using System.Net.Sockets;

namespace Procman.FunctionalTests.Infrastructure;

internal static class LoopbackPort
{
    /// <summary>A port on 127.0.0.1 that nothing listens on now, for a tool that must be given a port number.</summary>
    public static int Free()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A port below 1024 on 127.0.0.1 that nothing listens on now: only root may bind it.</summary>
    public static int FreePrivileged()
    {
        for (var port = 1023; port > 900; port--)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no free port between 901 and 1023 on 127.0.0.1");
    }

    /// <summary>An HTTP client that reaches a unix socket, whatever host its URLs name.</summary>
    public static HttpClient UnixClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellation) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://localhost"),
        Timeout = TimeSpan.FromSeconds(60),
    };
}
