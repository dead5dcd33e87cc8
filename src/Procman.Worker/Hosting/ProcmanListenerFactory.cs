using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Procman.Worker.Hosting;

/// <summary>
/// Decorates Kestrel's socket transport, through which every bind passes: only procman's inherited sockets are
/// bound (an endpoint the app chose in code gets an <see cref="IgnoredListener"/>), each listener on a shared
/// socket holds back while this worker has more than its share of connections (<see cref="BalancedListener"/>),
/// no listener accepts before the worker's warm-up is over (the first takes the warm-up's own connections meanwhile),
/// and a drain can unbind them early.
/// </summary>
/// <remarks>
/// A draining worker that keeps accepting from the shared queue keeps receiving new connections and
/// converges slowly under connect-heavy load. Unbinding makes the inner listener's pending accept return
/// null, which Kestrel reads as "done listening"; the fd itself is not owned by that listener, so the
/// shared socket stays open for every other worker.
/// </remarks>
internal sealed class ProcmanListenerFactory(IConnectionListenerFactory inner, WorkerAgent agent) : IConnectionListenerFactory
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (!agent.IsProcmanEndpoint(endpoint))
        {
            agent.IgnoreEndpoint(endpoint);
            return new IgnoredListener(endpoint);
        }
        if (endpoint is H2cEndPoint)
        {
            // Not unbound by a drain: a connection already accepted on a socket may still be handed over to it.
            return agent.H2c;
        }
        // Holding back only helps on a shared queue: connections on a worker's own queue wait for that worker.
        var shared = endpoint is not FileHandleEndPoint handle || !Native.HasReusePort((int)handle.FileHandle);
        var bound = await inner.BindAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var listener = new BalancedListener(bound, agent.Connections, shared, agent.Accepting, agent.ClaimWarmupEntrance());
        agent.Track(listener);
        return listener;
    }
}
