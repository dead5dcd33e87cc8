using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// Keep-alive and connection-per-request clients on raw sockets, at the same time, against <c>GET /pid</c> of
/// the test app. Unlike wrk, it records every failed request with its cause, its times and the pid of the
/// worker that served the connection (known from an earlier response on it).
/// </summary>
internal sealed class ChaosLoad(int port, string path = "/pid")
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<RequestFailure> _failures = new();
    private readonly ConcurrentDictionary<int, int> _servedBy = new();
    private long _succeeded;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public IReadOnlyList<RequestFailure> Failures => [.. _failures];

    /// <summary>Pid of each worker that answered, with the number of its responses.</summary>
    public IReadOnlyDictionary<int, int> ServedBy => _servedBy;

    /// <summary>Runs until <paramref name="stop"/>; a request in flight then finishes or times out.</summary>
    public Task RunAsync(int keepAliveClients, int closeClients, CancellationToken stop)
        => Task.WhenAll(
            Enumerable.Range(0, keepAliveClients).Select(_ => Task.Run(() => ClientAsync(keepAlive: true, stop)))
                .Concat(Enumerable.Range(0, closeClients).Select(_ => Task.Run(() => ClientAsync(keepAlive: false, stop)))));

    private async Task ClientAsync(bool keepAlive, CancellationToken stop)
    {
        var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{(keepAlive ? "" : "Connection: close\r\n")}\r\n");
        while (!stop.IsCancellationRequested)
        {
            var connectStart = DateTime.UtcNow;
            using var socket = await ConnectAsync(keepAlive);
            if (socket is null)
            {
                await Task.Delay(50, CancellationToken.None);
                continue;
            }
            var reader = new ResponseReader(socket);
            int? pid = null;
            // The first request is in flight from the start of the connect: a worker may accept the connection
            // and die before the request is sent.
            DateTime? start = connectStart;
            while (!stop.IsCancellationRequested)
            {
                var (ok, close, servedBy) = await ExchangeAsync(socket, reader, request, keepAlive, pid, start ?? DateTime.UtcNow);
                pid = servedBy;
                start = null;
                if (!ok || close || !keepAlive)
                {
                    break;
                }
            }
        }
    }

    private async Task<Socket?> ConnectAsync(bool keepAlive)
    {
        var start = DateTime.UtcNow;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var cause = ex switch
            {
                SocketException { SocketErrorCode: SocketError.ConnectionRefused } => FailureCause.ConnectionRefused,
                OperationCanceledException => FailureCause.Timeout,
                _ => FailureCause.ConnectError,
            };
            Fail(keepAlive, cause, start, null, $"connect: {ex.Message}");
            return null;
        }
    }

    /// <summary>One request on an open connection: (answered 2xx, connection to be closed, serving pid).</summary>
    private async Task<(bool Ok, bool Close, int? Pid)> ExchangeAsync(Socket socket, ResponseReader reader, byte[] request, bool keepAlive, int? pid, DateTime start)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            var cause = ex is SocketException { SocketErrorCode: SocketError.ConnectionReset } ? FailureCause.ConnectionReset : FailureCause.WriteError;
            Fail(keepAlive, cause, start, pid, $"send: {ex.Message}");
            return (false, true, pid);
        }
        try
        {
            var (status, close, body) = await reader.ReadAsync(timeout.Token);
            if (int.TryParse(body.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var servedBy))
            {
                pid = servedBy;
            }
            if (status is < 200 or > 299)
            {
                Fail(keepAlive, FailureCause.Non2xx, start, pid, status.ToString(CultureInfo.InvariantCulture));
                return (false, true, pid);
            }
            Interlocked.Increment(ref _succeeded);
            if (pid is { } known)
            {
                _servedBy.AddOrUpdate(known, 1, (_, n) => n + 1);
            }
            return (true, close, pid);
        }
        catch (HttpFailureException ex)
        {
            Fail(keepAlive, ex.Cause, start, pid, ex.Detail);
        }
        catch (SocketException ex)
        {
            Fail(keepAlive, ex.SocketErrorCode == SocketError.ConnectionReset ? FailureCause.ConnectionReset : FailureCause.ClosedMidResponse, start, pid, $"receive: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            Fail(keepAlive, FailureCause.Timeout, start, pid, $"no response within {RequestTimeout.TotalSeconds} s");
        }
        return (false, true, pid);
    }

    private void Fail(bool keepAlive, FailureCause cause, DateTime start, int? pid, string detail)
        => _failures.Enqueue(new RequestFailure(keepAlive, cause, start, DateTime.UtcNow, pid, detail));
}
