namespace Procman.Worker.Warmup;

/// <summary>
/// The body of a warm-up response: discarded, but the first write starts the response, as the first write to a
/// connection does in Kestrel, so that the app's <c>OnStarting</c> callbacks run where they would for a client.
/// </summary>
internal sealed class WarmupResponseBody(WarmupResponse response) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => response.StartAsync().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => response.StartAsync(cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Flush();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => await response.StartAsync(cancellationToken).ConfigureAwait(false);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => response.StartAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
