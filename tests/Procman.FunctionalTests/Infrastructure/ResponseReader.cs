using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Reads HTTP/1.1 responses (Content-Length or chunked) from a socket, one at a time.</summary>
internal sealed class ResponseReader(Socket socket)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _count;

    /// <summary>Reads one response; throws <see cref="HttpFailureException"/> when the connection breaks first.</summary>
    public async Task<(int Status, bool Close, string Body)> ReadAsync(CancellationToken cancellation)
    {
        var headEnd = await FillUntilAsync(() => IndexOf("\r\n\r\n"u8, 0), cancellation, FailureCause.ClosedWithoutResponse);
        var head = Encoding.ASCII.GetString(_buffer, 0, headEnd);
        var lines = head.Split("\r\n");
        var statusLine = lines[0].Split(' ');
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new HttpFailureException(FailureCause.MalformedResponse, lines[0]);
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        var position = headEnd + 4;
        var body = new StringBuilder();
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var end = position + int.Parse(length, CultureInfo.InvariantCulture);
            await FillUntilAsync(() => _count >= end ? end : -1, cancellation, FailureCause.ClosedMidResponse);
            body.Append(Encoding.UTF8.GetString(_buffer, position, end - position));
            position = end;
        }
        else if (string.Equals(headers.GetValueOrDefault("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var start = position;
                var lineEnd = await FillUntilAsync(() => IndexOf("\r\n"u8, start), cancellation, FailureCause.ClosedMidResponse);
                var sizeText = Encoding.ASCII.GetString(_buffer, position, lineEnd - position).Split(';')[0];
                var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var chunkEnd = lineEnd + 2 + size + 2;
                await FillUntilAsync(() => _count >= chunkEnd ? chunkEnd : -1, cancellation, FailureCause.ClosedMidResponse);
                body.Append(Encoding.UTF8.GetString(_buffer, lineEnd + 2, size));
                position = chunkEnd;
                if (size == 0)
                {
                    break;
                }
            }
        }
        // Keep what follows this response (nothing, without pipelining) at the start of the buffer.
        Buffer.BlockCopy(_buffer, position, _buffer, 0, _count - position);
        _count -= position;
        var close = string.Equals(headers.GetValueOrDefault("Connection"), "close", StringComparison.OrdinalIgnoreCase);
        return (status, close, body.ToString());
    }

    private int IndexOf(ReadOnlySpan<byte> value, int from)
    {
        var index = _buffer.AsSpan(from, _count - from).IndexOf(value);
        return index < 0 ? -1 : from + index;
    }

    /// <summary>Receives until <paramref name="probe"/> returns a position; EOF before that is <paramref name="onEof"/>.</summary>
    private async Task<int> FillUntilAsync(Func<int> probe, CancellationToken cancellation, FailureCause onEof)
    {
        while (true)
        {
            var found = probe();
            if (found >= 0)
            {
                return found;
            }
            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var received = await socket.ReceiveAsync(_buffer.AsMemory(_count), SocketFlags.None, cancellation);
            if (received == 0)
            {
                throw new HttpFailureException(_count == 0 ? onEof : FailureCause.ClosedMidResponse);
            }
            _count += received;
        }
    }
}
