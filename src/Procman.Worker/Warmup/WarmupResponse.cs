using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Procman.Worker.Warmup;

/// <summary>
/// The response to a warm-up request: its status and headers are kept, its body is discarded, and its callbacks run
/// in the order Kestrel runs them: <c>OnStarting</c> (last registered first) when the response starts, at the first
/// write or at the end, and <c>OnCompleted</c> once the request is done.
/// </summary>
/// <remarks>
/// The completion callbacks matter beyond the app's own: the request's service scope is disposed through one, so a
/// warm-up that skipped them would leave the scoped services of every warm-up request undisposed.
/// </remarks>
internal sealed class WarmupResponse : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly Stack<(Func<object, Task> Callback, object State)> _starting = new();
    private readonly Stack<(Func<object, Task> Callback, object State)> _completed = new();
    private PipeWriter? _writer;

    public WarmupResponse()
    {
        Stream = new WarmupResponseBody(this);
        Body = Stream;
    }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body { get; set; }

    public bool HasStarted { get; private set; }

    public Stream Stream { get; }

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    public void OnStarting(Func<object, Task> callback, object state) => _starting.Push((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _completed.Push((callback, state));

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }
        // Marked first: a callback that writes to the response must not start it again.
        HasStarted = true;
        while (_starting.TryPop(out var callback))
        {
            await callback.Callback(callback.State).ConfigureAwait(false);
        }
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
        => StartAsync(cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }
        await StartAsync().ConfigureAwait(false);
    }

    /// <summary>Runs the completion callbacks, every one even when one throws; the first failure is rethrown after.</summary>
    public async Task FireCompletedAsync()
    {
        Exception? failure = null;
        while (_completed.TryPop(out var callback))
        {
            try
            {
                await callback.Callback(callback.State).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }
        if (failure is not null)
        {
            throw failure;
        }
    }
}
