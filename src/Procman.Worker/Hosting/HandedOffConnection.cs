using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Procman.Worker.Hosting;

/// <summary>
/// A connection accepted on one of procman's sockets, as Kestrel's HTTP/2 pipeline sees it: the same transport and
/// features, but disposing it only ends the handoff; the endpoint that accepted it disposes the connection itself.
/// </summary>
/// <remarks>
/// The features are shared, so the lifetime notification Kestrel's HTTP/2 side registers (a graceful GOAWAY) is the one
/// a drain reaches.
/// </remarks>
internal sealed class HandedOffConnection(ConnectionContext inner) : ConnectionContext
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the HTTP/2 pipeline has finished with the connection.</summary>
    public Task Completed => _completed.Task;

    public override string ConnectionId
    {
        get => inner.ConnectionId;
        set => inner.ConnectionId = value;
    }

    public override IFeatureCollection Features => inner.Features;

    public override IDictionary<object, object?> Items
    {
        get => inner.Items;
        set => inner.Items = value;
    }

    public override IDuplexPipe Transport
    {
        get => inner.Transport;
        set => inner.Transport = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => inner.LocalEndPoint;
        set => inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => inner.RemoteEndPoint;
        set => inner.RemoteEndPoint = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => inner.ConnectionClosed;
        set => inner.ConnectionClosed = value;
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        inner.Abort(abortReason);
        _completed.TrySetResult();
    }

    public override void Abort() => Abort(new ConnectionAbortedException("procman: the HTTP/2 endpoint is stopping"));

    public override ValueTask DisposeAsync()
    {
        _completed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
