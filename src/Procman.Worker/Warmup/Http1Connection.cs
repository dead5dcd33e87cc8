using System.Buffers.Text;
using System.Text;

namespace Procman.Worker.Warmup;

/// <summary>
/// The client end of one warm-up connection speaking HTTP/1.1: a GET written, its response read and its body
/// discarded, as framed by RFC 9112 (interim 1xx responses skipped; no body for 204 and 304; chunked, a
/// Content-Length, or up to the close).
/// </summary>
/// <remarks>
/// The warm-up's own client, rather than <see cref="HttpClient"/>: every method a warm-up runs in the worker is compiled
/// and optimized by the JIT like the server's, and HttpClient's connection pool, header collections and content
/// streams would be about a thousand methods compiled for nothing that serves a client (measured: 0.7 s of CPU for 277
/// requests), while this is a few dozen. The responses come from this worker's own Kestrel, through the app's
/// pipeline when a warmup_path is set, so anything HTTP/1.1 allows may come back.
/// </remarks>
internal sealed class Http1Connection(Stream stream) : IDisposable
{
    /// <summary>The longest response head (status line and headers) or chunk line read; more is a broken response.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    private int _completed;

    /// <summary>Whether the connection has carried a whole exchange already (a server may close such a one meanwhile).</summary>
    public bool Reused => _completed > 0;

    /// <summary>Whether any byte of the last request's response came (read now, or with the response before it).</summary>
    public bool Answered { get; private set; }

    /// <summary>
    /// Sends <paramref name="request"/> (a whole GET, see <see cref="Request"/>) and reads its response to the end.
    /// </summary>
    /// <returns>The final status, and whether the connection may carry another request.</returns>
    /// <exception cref="IOException">The connection broke, or the response is not HTTP/1.1 as RFC 9112 frames it.</exception>
    public async Task<(int Status, bool Reusable)> GetAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        Answered = false;
        await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var (status, http11) = ParseStatusLine((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Span);
            var head = new Head();
            while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { IsEmpty: false } line)
            {
                head.Add(line.Span);
            }
            if (status is >= 100 and < 200 and not 101)
            {
                continue;
            }
            _completed++;
            var reusable = http11 && !head.Close;
            if (status is 101)
            {
                return (status, false);
            }
            if (status is 204 or 304)
            {
                return (status, reusable);
            }
            if (head.Chunked)
            {
                await DiscardChunksAsync(cancellationToken).ConfigureAwait(false);
                return (status, reusable);
            }
            if (head.ContentLength is { } length)
            {
                await DiscardAsync(length, cancellationToken).ConfigureAwait(false);
                return (status, reusable);
            }
            await DiscardToEndAsync(cancellationToken).ConfigureAwait(false);
            return (status, false);
        }
    }

    /// <summary>The bytes of a GET of <paramref name="target"/> (a path and its query, in ASCII).</summary>
    public static byte[] Request(string target) => Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");

    public void Dispose() => stream.Dispose();

    private static (int Status, bool Http11) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP-version SP 3DIGIT SP [reason-phrase]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ' || (line.Length > 12 && line[12] != (byte)' ')
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var consumed) || consumed != 3 || status < 100)
        {
            throw new IOException($"the warm-up's response began with '{Printable(line)}', not an HTTP/1.1 status line");
        }
        return (status, line[7] == (byte)'1');
    }

    private async Task DiscardChunksAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = ChunkSize((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Span);
            if (length == 0)
            {
                // The trailer section, ended by an empty line.
                while (!(await ReadLineAsync(cancellationToken).ConfigureAwait(false)).IsEmpty)
                {
                }
                return;
            }
            await DiscardAsync(length, cancellationToken).ConfigureAwait(false);
            if (!(await ReadLineAsync(cancellationToken).ConfigureAwait(false)).IsEmpty)
            {
                throw new IOException("the warm-up's chunked response has a chunk longer than its size");
            }
        }
    }

    private static long ChunkSize(ReadOnlySpan<byte> line)
    {
        var extension = line.IndexOf((byte)';');
        var size = (extension < 0 ? line : line[..extension]).Trim(" \t"u8);
        if (size.IsEmpty || !Utf8Parser.TryParse(size, out ulong length, out var consumed, 'x') || consumed != size.Length || length > long.MaxValue)
        {
            throw new IOException($"the warm-up's chunked response has a chunk size of '{Printable(size)}'");
        }
        return (long)length;
    }

    private async Task DiscardAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the connection closed in the middle of the warm-up's response body");
            }
            var taken = (int)Math.Min(count, _end - _start);
            _start += taken;
            count -= taken;
        }
    }

    private async Task DiscardToEndAsync(CancellationToken cancellationToken)
    {
        do
        {
            _start = _end;
        }
        while (await FillAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The next line, without its line end (CRLF, or a bare LF as RFC 9112 lets a recipient accept).</summary>
    /// <remarks>The memory returned is valid until the next read.</remarks>
    private async Task<ReadOnlyMemory<byte>> ReadLineAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = searched + newline;
                var line = _buffer.AsMemory(_start, length > 0 && _buffer[_start + length - 1] == (byte)'\r' ? length - 1 : length);
                _start += length + 1;
                Answered = true;
                return line;
            }
            searched = _end - _start;
            if (searched >= MaxHeadBytes)
            {
                throw new IOException($"the warm-up's response has a line longer than {MaxHeadBytes} bytes");
            }
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException(Answered
                    ? "the connection closed in the middle of the warm-up's response"
                    : "the connection closed before the warm-up's response");
            }
        }
    }

    /// <summary>Reads more into the buffer, after what is left of it; false at the end of the stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            (_start, _end) = (0, 0);
        }
        else if (_end == _buffer.Length)
        {
            var left = _end - _start;
            var target = left * 2 > _buffer.Length ? new byte[Math.Min(_buffer.Length * 2, MaxHeadBytes * 2)] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, left);
            (_buffer, _start, _end) = (target, 0, left);
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        Answered |= read > 0;
        return read > 0;
    }

    private static bool HasToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        while (!list.IsEmpty)
        {
            var comma = list.IndexOf((byte)',');
            if (Ascii.EqualsIgnoreCase((comma < 0 ? list : list[..comma]).Trim(" \t"u8), token))
            {
                return true;
            }
            list = comma < 0 ? [] : list[(comma + 1)..];
        }
        return false;
    }

    private static bool LastToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        var comma = list.LastIndexOf((byte)',');
        return Ascii.EqualsIgnoreCase(list[(comma + 1)..].Trim(" \t"u8), token);
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 80)]);
        return string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
    }

    /// <summary>What of a response's headers frames its body and tells whether the connection stays open.</summary>
    private sealed class Head
    {
        public long? ContentLength { get; private set; }

        public bool Chunked { get; private set; }

        public bool Close { get; private set; }

        public void Add(ReadOnlySpan<byte> line)
        {
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new IOException($"the warm-up's response has a header line without a name: '{Printable(line)}'");
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (value.IsEmpty || !char.IsAsciiDigit((char)value[0]) || !Utf8Parser.TryParse(value, out long length, out var consumed)
                    || consumed != value.Length || (ContentLength is { } earlier && earlier != length))
                {
                    throw new IOException($"the warm-up's response has Content-Length '{Printable(value)}'");
                }
                ContentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                Chunked = LastToken(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                Close |= HasToken(value, "close"u8);
            }
        }
    }
}
