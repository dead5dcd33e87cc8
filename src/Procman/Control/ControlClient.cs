using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Procman.Control;

/// <summary>The client end of the control socket: one request, one response, as the client commands use it.</summary>
internal static class ControlClient
{
    /// <summary>Sends the request and returns the response.</summary>
    /// <param name="untilClosed">After the response, wait until the master closes the connection (stop --wait).</param>
    /// <exception cref="ProcmanException">Nothing listens at the path, or what answers does not speak the protocol.</exception>
    public static async Task<ControlResponse> SendAsync(string path, ControlRequest request, bool untilClosed, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            var why = ex.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable => "no such socket",
                SocketError.ConnectionRefused => "nothing listens on it",
                SocketError.AccessDenied => "permission denied: it belongs to another user",
                _ => ex.Message,
            };
            throw new ProcmanException($"no procman answers on the control socket {path} ({why}); is it running? pass --control-socket PATH or -c CONFIG", ExitCodes.NotRunning);
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var line = ControlCodec.Write(request) + "\n";
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The master may answer and close before reading (a refused peer): its answer is still there to read.
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? answer;
        try
        {
            answer = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new ProcmanException($"the control socket {path} closed the connection ({ex.Message})", ExitCodes.NotRunning);
        }
        if (answer is null)
        {
            throw new ProcmanException($"the control socket {path} closed without an answer; is it procman's?", ExitCodes.NotRunning);
        }
        ControlResponse response;
        try
        {
            response = ControlCodec.ReadResponse(Encoding.UTF8.GetBytes(answer));
        }
        catch (JsonException ex)
        {
            throw new ProcmanException($"the control socket {path} answered what is not procman's protocol: {ex.Message}", ExitCodes.NotRunning);
        }
        if (untilClosed)
        {
            try
            {
                await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // A reset rather than an orderly close: the master is gone all the same.
            }
        }
        return response;
    }
}
