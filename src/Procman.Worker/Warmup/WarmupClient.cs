using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Procman.Worker.Hosting;

namespace Procman.Worker.Warmup;

/// <summary>
/// Sends the warm-up's requests over real connections into this worker's own Kestrel: a TCP connection on loopback
/// whose server end enters procman's first listener through <see cref="WarmupEntrance"/>, as if Kestrel had accepted
/// it there, and whose client end speaks HTTP on (over TLS where procman serves TLS): HTTP/1.1 through procman's own
/// <see cref="Http1Connection"/>, HTTP/2 (a listener that serves nothing else) through an <see cref="HttpMessageInvoker"/>.
/// </summary>
/// <remarks>
/// Not through procman's socket: a connection there may be accepted by another worker. Not in process either: much of
/// what a client's request costs a new worker lies between the socket and the app (Kestrel's transport, parser and
/// connection code, TLS), which the runtime re-optimizes under load as it does the app's own code. The loopback
/// listener lives for one connect and takes only the connection whose peer is the socket that just connected.
/// The server ends are created by a transport factory of the warm-up's own; it is left to the garbage collector
/// rather than disposed, since Kestrel may still be closing a connection of it when the warm-up is over.
/// </remarks>
internal sealed class WarmupClient : IDisposable
{
    private readonly WarmupEntrance _entrance;
    private readonly WarmupRequest _mark;
    private readonly SocketConnectionContextFactory _transport;
    private readonly PrivateMeters _meters = new();
    private readonly HttpMessageInvoker? _http2;
    private readonly bool _tls;
    private readonly string _origin;
    private readonly Http1Session? _http1;

    /// <param name="tls">Whether procman's listener serves TLS.</param>
    /// <param name="http1">Whether it serves HTTP/1.1; HTTP/2 (prior knowledge without TLS) when not.</param>
    /// <param name="serverOnly">Whether procman answers the requests in front of the app (<see cref="WarmupRequest.EnterAsync"/>).</param>
    public WarmupClient(WarmupEntrance entrance, bool tls, bool http1, bool serverOnly, ILogger logger)
    {
        _entrance = entrance;
        _mark = new WarmupRequest(serverOnly);
        _transport = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), logger);
        _tls = tls;
        _origin = tls ? "https://localhost" : "http://localhost";
        if (http1)
        {
            _http1 = new Http1Session(_origin, OpenHttp1Async);
            return;
        }
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => ConnectAsync(cancellationToken),
            MaxConnectionsPerServer = 1,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // No client-side trace of its own (an Activity and trace headers per request): the app's tracing sees
            // the warm-up from the server side only, as it sees any request.
            ActivityHeadersPropagator = null,
            MeterFactory = _meters,
        };
        // The peer is this process's own listener, whose certificate is whatever procman was given.
        handler.SslOptions.RemoteCertificateValidationCallback = AnyCertificate;
        _http2 = new HttpMessageInvoker(handler);
    }

    /// <summary>One GET of <paramref name="target"/> (a path and its query): the status, and what the app threw if it did.</summary>
    /// <remarks>Not concurrently: the warm-up sends one request after the other.</remarks>
    public async Task<(int Status, Exception? Exception)> SendAsync(string target, CancellationToken aborted)
    {
        try
        {
            var status = _http1 is not null ? await _http1.GetAsync(target, aborted).ConfigureAwait(false) : await SendHttp2Async(target, aborted).ConfigureAwait(false);
            return (status, _mark.TakeThrown());
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            return (0, _mark.TakeThrown() ?? ex);
        }
    }

    public void Dispose()
    {
        _http1?.Dispose();
        _http2?.Dispose();
        _meters.Dispose();
    }

    private static bool AnyCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    private async Task<Http1Connection> OpenHttp1Async(CancellationToken aborted)
    {
        var stream = await ConnectAsync(aborted).ConfigureAwait(false);
        if (!_tls)
        {
            return new Http1Connection(stream);
        }
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = AnyCertificate,
            }, aborted).ConfigureAwait(false);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new Http1Connection(tls);
    }

    private async Task<int> SendHttp2Async(string target, CancellationToken aborted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_origin + target))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await _http2!.SendAsync(request, aborted).ConfigureAwait(false);
        await response.Content.CopyToAsync(Stream.Null, aborted).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    private async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var loopback = Socket.OSSupportsIPv4 ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        using var listener = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(loopback, 0));
        listener.Listen(1);
        var client = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
            var server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            while (!Equals(server.RemoteEndPoint, client.LocalEndPoint))
            {
                server.Dispose();
                server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            server.NoDelay = true;
            var connection = _transport.Create(server);
            connection.Features.Set(_mark);
            if (!_entrance.TryEnter(connection))
            {
                connection.Abort();
                throw new InvalidOperationException("the warm-up is over");
            }
            return new NetworkStream(client, ownsSocket: true);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The meters of the warm-up's HTTP client, under a name of procman's rather than <c>System.Net.Http</c>: the
    /// app's listeners on the metrics of its own outgoing requests do not count the warm-up's.
    /// </summary>
    private sealed class PrivateMeters : IMeterFactory
    {
        private readonly List<Meter> _created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter("Procman.Worker.Warmup", options.Version);
            lock (_created)
            {
                _created.Add(meter);
            }
            return meter;
        }

        public void Dispose()
        {
            lock (_created)
            {
                _created.ForEach(meter => meter.Dispose());
                _created.Clear();
            }
        }
    }
}
