using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// A service the test app calls, which answers every request after a delay, each on a thread of its own (so
/// that it never runs short of threads itself). Loopback, port 0.
/// </summary>
internal sealed class SlowUpstream : IDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nupstream\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TimeSpan _delay;

    public SlowUpstream(TimeSpan delay)
    {
        _delay = delay;
        _listener.Start(1024);
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        new Thread(Accept) { IsBackground = true, Name = "slow upstream" }.Start();
    }

    public Uri Address { get; }

    public void Dispose() => _listener.Stop();

    private void Accept()
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = _listener.AcceptSocket();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            new Thread(() => Serve(connection)) { IsBackground = true }.Start();
        }
    }

    private void Serve(Socket connection)
    {
        using (connection)
        {
            try
            {
                var buffer = new byte[4096];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = connection.Receive(buffer);
                    if (read == 0)
                    {
                        return;
                    }
                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                Thread.Sleep(_delay);
                connection.Send(Response);
            }
            catch (SocketException)
            {
            }
        }
    }
}
