using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Procman.Worker.Hosting;

/// <summary>
/// Kestrel's listener on a shared socket, holding back from accepting while this worker has more than its
/// share of connections, so that the other workers take the queued ones.
/// </summary>
/// <remarks>
/// Every worker's accept loop waits on the same socket and the one that wakes first takes a burst of
/// connections; with keep-alive clients that imbalance lasts as long as the connections do.
/// </remarks>
/// <param name="holdsBack">False for a socket of this worker's own (reuse_port), where the kernel spreads the connections.</param>
/// <param name="accepting">Completes once the worker may accept at all (<see cref="WorkerAgent.Accepting"/>).</param>
/// <param name="warmup">Where the warm-up's own connections come from until then; null on all listeners but one.</param>
internal sealed class BalancedListener(IConnectionListener inner, ConnectionTracker connections, bool holdsBack, Task accepting, WarmupEntrance? warmup)
    : IConnectionListener
{
    private static readonly TimeSpan PausePollInterval = TimeSpan.FromMilliseconds(5);

    // The longest a pause lasts before this worker accepts again regardless. The shares come from counts up
    // to a second old: should every worker believe itself over its share at once, a connection would wait
    // in the queue for the next share; this bounds that wait.
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(50);

    private volatile bool _unbound;

    public EndPoint EndPoint => inner.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (!accepting.IsCompleted)
        {
            if (warmup is not null && await warmup.NextAsync(accepting, cancellationToken).ConfigureAwait(false) is { } own)
            {
                return own;
            }
            await accepting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        var pausedSince = Stopwatch.GetTimestamp();
        while (holdsBack && connections.AcceptPaused && !_unbound && !cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(pausedSince) < MaxPause)
        {
            await Task.Delay(PausePollInterval, CancellationToken.None).ConfigureAwait(false);
        }
        return await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound = true;
        return inner.UnbindAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
