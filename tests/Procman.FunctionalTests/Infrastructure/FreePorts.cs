using System.Net;
using System.Net.Sockets;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Loopback ports that nothing listens on, for an app that insists on choosing its own.</summary>
internal static class FreePorts
{
    /// <summary>
    /// Ports the kernel handed out as ephemeral and that are free again; held open together while chosen,
    /// so that they differ from each other.
    /// </summary>
    public static int[] Take(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToArray();
        try
        {
            foreach (var socket in sockets)
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }
            return sockets.Select(socket => ((IPEndPoint)socket.LocalEndPoint!).Port).ToArray();
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
