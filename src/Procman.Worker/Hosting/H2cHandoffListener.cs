using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Procman.Worker.Hosting;

/// <summary>
/// Kestrel's listener for <see cref="H2cEndPoint"/>: it accepts the connections that <see cref="PrefaceRouter"/> took
/// from procman's sockets and found to speak HTTP/2, so that Kestrel's HTTP/2 pipeline serves them.
/// </summary>
/// <remarks>
/// Kestrel picks one protocol per endpoint, and on a cleartext endpoint with both HTTP/1.1 and HTTP/2 it always picks
/// HTTP/1.1 (there is no ALPN to go by). Two endpoints, one per protocol, and a choice per connection from its first
/// bytes give both on one socket. The connection stays owned by the endpoint that accepted it: it is disposed there,
/// once the HTTP/2 pipeline is done with it.
/// </remarks>
internal sealed class H2cHandoffListener : IConnectionListener
{
    private readonly Channel<HandedOffConnection> _queue = Channel.CreateUnbounded<HandedOffConnection>();

    public EndPoint EndPoint => H2cEndPoint.Instance;

    /// <summary>Serves <paramref name="connection"/> with HTTP/2 and completes when that is over.</summary>
    public Task HandOffAsync(ConnectionContext connection)
    {
        var handed = new HandedOffConnection(connection);
        if (!_queue.Writer.TryWrite(handed))
        {
            // Kestrel is stopping and accepts nothing more here.
            handed.Abort();
        }
        return handed.Completed;
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        Close();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var unaccepted))
        {
            unaccepted.Abort();
        }
    }
}
