namespace Procman.Worker.Warmup;

/// <summary>
/// The warm-up's HTTP/1.1 requests, one after the other, on one connection kept while the server keeps it: a new one
/// when a response ends it or it breaks, and a kept one that the server closed before answering (its keep-alive ran
/// out, say) replaced once, as a browser does.
/// </summary>
/// <param name="origin">The scheme and host the targets are resolved against, as a client resolves them.</param>
/// <param name="open">Opens a new connection.</param>
internal sealed class Http1Session(string origin, Func<CancellationToken, Task<Http1Connection>> open) : IDisposable
{
    private readonly Dictionary<string, byte[]> _requests = [];
    private Http1Connection? _connection;

    /// <summary>One GET of <paramref name="target"/> (a path and its query): the final status.</summary>
    /// <exception cref="IOException">The connection broke, or the response is not HTTP/1.1.</exception>
    public async Task<int> GetAsync(string target, CancellationToken cancellationToken)
    {
        if (!_requests.TryGetValue(target, out var request))
        {
            // As a client sends it: percent-encoded where the path is not ASCII, dot segments resolved.
            _requests[target] = request = Http1Connection.Request(new Uri(origin + target).PathAndQuery);
        }
        while (true)
        {
            var connection = _connection ??= await open(cancellationToken).ConfigureAwait(false);
            try
            {
                var (status, reusable) = await connection.GetAsync(request, cancellationToken).ConfigureAwait(false);
                if (!reusable)
                {
                    Drop();
                }
                return status;
            }
            catch (IOException) when (connection is { Reused: true, Answered: false } && !cancellationToken.IsCancellationRequested)
            {
                Drop();
            }
            catch
            {
                Drop();
                throw;
            }
        }
    }

    public void Dispose() => Drop();

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
