using System.Diagnostics;
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
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _closeRequested;

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
        Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
    }

    public bool IsIdleFor(TimeSpan grace)
        => Volatile.Read(ref _inFlight) == 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= grace;

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
