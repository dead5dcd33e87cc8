using System.Net.Sockets;
using Procman.Configuration;

namespace Procman.Listeners;

/// <summary>One listening socket owned by the master and inherited by every worker.</summary>
/// <remarks>
/// The <see cref="Socket"/> must stay referenced for the whole run: a collected socket closes its fd,
/// and the next worker started would find a different file (or none) under that number.
/// </remarks>
internal sealed class Listener(BindAddress address, Socket socket, string display) : IDisposable
{
    public BindAddress Address { get; } = address;

    public Socket Socket { get; } = socket;

    /// <summary>What the socket is bound to, with the real port when port 0 was asked for.</summary>
    public string Display { get; } = display;

    public int Fd => (int)Socket.SafeHandle.DangerousGetHandle();

    /// <summary>Closes the socket; for a unix socket bound here, .NET also deletes the socket file.</summary>
    public void Dispose() => Socket.Dispose();
}
