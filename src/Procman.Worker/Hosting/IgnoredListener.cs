using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Procman.Worker.Hosting;

/// <summary>
/// What Kestrel gets for an endpoint the app chose in code (<c>Listen</c>, <c>ListenAnyIP</c>,
/// <c>ListenLocalhost</c>, <c>ListenUnixSocket</c>): nothing is bound, and the first accept returns null,
/// which Kestrel reads as a listener that is done, so its accept loop for that endpoint ends at once.
/// </summary>
/// <remarks>
/// Binding those endpoints for real would open a port procman does not manage, and a second worker would
/// fail with address-in-use on it.
/// </remarks>
internal sealed class IgnoredListener(EndPoint endpoint) : IConnectionListener
{
    public EndPoint EndPoint => endpoint;

    public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<ConnectionContext?>(null);

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
