using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Procman.Worker.Hosting;

/// <summary>What a drain needs to know about one open connection: is a request in flight, and since when is it idle.</summary>
internal sealed class ConnectionState(ConnectionContext connection, ConnectionTracker tracker)
{
    /// <summary>The key under which the state sits in the connection's items, where HTTP middleware finds it.</summary>
    public static readonly object ItemKey = new();

    private int _inFlight;
    private int _requests;
    // Environment.TickCount64: the coarse clock is a few ms fine, enough for a grace of a second, and the cheapest
    // clock to read on every request.
    private long _lastActivity = Environment.TickCount64;
    private int _closeRequested;
    private int _longLived;
    private int _multiplexed;

    public void RequestStarted()
    {
        Interlocked.Increment(ref _inFlight);
        // The second request makes it a keep-alive connection: only those stay with a worker for long.
        if (Interlocked.Increment(ref _requests) == 2)
        {
            tracker.KeepAliveStarted();
        }
    }

    public bool IsKeepAlive => Volatile.Read(ref _requests) >= 2;

    public void RequestEnded()
    {
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>
    /// A request on this connection that lasts as long as the client wants (a WebSocket, server-sent events, a gRPC
    /// call) has started; <c>Connection: close</c> cannot end it.
    /// </summary>
    public void LongLivedStarted() => Interlocked.Increment(ref _longLived);

    public void LongLivedEnded() => Interlocked.Decrement(ref _longLived);

    /// <summary>Whether a request in flight is long-lived: what such a connection waits for is the app, not a response.</summary>
    public bool IsLongLived => Volatile.Read(ref _longLived) > 0;

    /// <summary>Marks an HTTP/2 connection, which carries many requests at once.</summary>
    public void MarkMultiplexed() => Volatile.Write(ref _multiplexed, 1);

    /// <summary>
    /// Whether the connection can be asked to close without racing a client's next request: an HTTP/1.1 connection idle
    /// for <paramref name="grace"/>, or any HTTP/2 connection, which closes with GOAWAY: the requests in flight finish, and
    /// the client sends its next ones on a new connection.
    /// </summary>
    public bool IsIdleFor(TimeSpan grace)
        => Volatile.Read(ref _multiplexed) == 1
            || (Volatile.Read(ref _inFlight) == 0 && Environment.TickCount64 - Volatile.Read(ref _lastActivity) >= (long)grace.TotalMilliseconds);

    /// <summary>Closes the connection at once, whatever it is doing: the graceful timeout has passed.</summary>
    public void Abort() => connection.Abort(new ConnectionAbortedException("procman: the graceful timeout passed while draining"));

    /// <summary>
    /// Asks Kestrel to close the connection the way it does when it stops: at once when idle, after the
    /// current response otherwise. Once per connection.
    /// </summary>
    public void RequestClose()
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
        {
            connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }
    }
}
