using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Procman.Worker.Hosting;

/// <summary>
/// The way the warm-up's own connections enter one of procman's listeners while it accepts nothing else: Kestrel's
/// accept loop for that listener takes them as if it had accepted them, so they run the endpoint's whole pipeline
/// (procman's connection middleware, TLS, the HTTP protocols) as a client's connection does.
/// </summary>
internal sealed class WarmupEntrance
{
    private readonly Channel<ConnectionContext> _queue = Channel.CreateUnbounded<ConnectionContext>();

    /// <summary>Queues <paramref name="connection"/> for the listener; false once the warm-up is over.</summary>
    public bool TryEnter(ConnectionContext connection) => _queue.Writer.TryWrite(connection);

    /// <summary>The next warm-up connection, or null once <paramref name="accepting"/> has completed: the warm-up is over.</summary>
    public async ValueTask<ConnectionContext?> NextAsync(Task accepting, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_queue.Reader.TryRead(out var connection))
            {
                return connection;
            }
            if (accepting.IsCompleted)
            {
                return null;
            }
            var readable = _queue.Reader.WaitToReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(readable, accepting).ConfigureAwait(false) == readable && !await readable.ConfigureAwait(false))
            {
                // Closed: nothing more comes this way.
                await accepting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes no more connections; one queued and never taken is aborted.</summary>
    public void Close()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var unaccepted))
        {
            unaccepted.Abort();
        }
    }
}
