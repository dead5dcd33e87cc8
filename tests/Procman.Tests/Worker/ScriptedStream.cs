using System.Text;

namespace Procman.Tests.Worker;

/// <summary>
/// The server's end: what the client writes is kept, and reads return the scripted response in pieces of at most
/// <paramref name="piece"/> bytes, then the end of the stream (or, with <paramref name="waitAtEnd"/>, a read that
/// waits until cancelled).
/// </summary>
internal sealed class ScriptedStream(int piece, string response, bool waitAtEnd = false) : Stream
{
    private readonly byte[] _response = Encoding.ASCII.GetBytes(response);
    private readonly StringBuilder _written = new();
    private int _position;

    public string Written => _written.ToString();

    public bool AllRead => _position == _response.Length;

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == _response.Length && waitAtEnd)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        var count = Math.Min(Math.Min(piece, buffer.Length), _response.Length - _position);
        _response.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _written.Append(Encoding.ASCII.GetString(buffer.Span));
        return ValueTask.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
