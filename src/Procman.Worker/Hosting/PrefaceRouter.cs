using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Procman.Worker.Hosting;

/// <summary>
/// A connection middleware on a cleartext socket that serves both HTTP/1.1 and prior-knowledge HTTP/2: it reads the
/// first bytes without consuming them, and a connection that opens with the HTTP/2 preface goes to Kestrel's HTTP/2
/// pipeline (<see cref="H2cHandoffListener"/>), every other one on to HTTP/1.1.
/// </summary>
/// <remarks>
/// An HTTP/1.x request line differs from the preface ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") within its first bytes
/// (no method is PRI), so the choice is made as soon as the bytes differ, or once all 24 have matched.
/// </remarks>
internal static class PrefaceRouter
{
    // A client that connects and sends nothing for this long is left to HTTP/1.1 and its own timeouts.
    private static readonly TimeSpan FirstBytesBound = TimeSpan.FromSeconds(10);

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static async Task RouteAsync(ConnectionContext connection, ConnectionDelegate http1, H2cHandoffListener http2)
    {
        if (await OpensWithPrefaceAsync(connection.Transport.Input).ConfigureAwait(false))
        {
            await http2.HandOffAsync(connection).ConfigureAwait(false);
        }
        else
        {
            await http1(connection).ConfigureAwait(false);
        }
    }

    private static async Task<bool> OpensWithPrefaceAsync(PipeReader input)
    {
        using var bound = new CancellationTokenSource(FirstBytesBound);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(bound.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var verdict = Compare(buffer);
                if (verdict is not null || result.IsCompleted)
                {
                    // Nothing consumed: whichever pipeline takes the connection reads it from the first byte.
                    input.AdvanceTo(buffer.Start);
                    return verdict == true;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True: the preface; false: something else; null: a prefix of the preface so far.</summary>
    private static bool? Compare(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[Preface.Length];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(Preface[..length]))
        {
            return false;
        }
        return length == Preface.Length ? true : null;
    }
}
