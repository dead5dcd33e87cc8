using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Procman.Native;

namespace Procman.Control;

/// <summary>
/// The control socket: a unix stream socket, mode 0600, on which each connection carries one JSON request
/// line and gets one JSON response line (docs/control.md). Only root and procman's own user are served,
/// checked with SO_PEERCRED on every connection, not only by the file mode.
/// </summary>
internal sealed partial class ControlServer : IDisposable
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    // A request is a short JSON object; anything longer is not one.
    private const int MaxRequestBytes = 64 * 1024;

    // A client that connects and says nothing does not hold a connection for ever.
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(1);

    private readonly Socket _listener;
    private readonly MasterControl _control;
    private readonly uint _owner;
    private readonly ILogger<ControlServer> _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<long, Task> _answers = new();
    private long _lastAnswer;
    private readonly Task _accepting;
    private readonly Task _servingFrom;
    private bool _handedOver;

    private ControlServer(string path, Socket listener, MasterControl control, uint owner, ILogger<ControlServer> logger, Task? servingFrom = null)
    {
        Path = path;
        _listener = listener;
        _control = control;
        _owner = owner;
        _logger = logger;
        _servingFrom = servingFrom ?? Task.CompletedTask;
        _accepting = AcceptAsync(_servingFrom);
    }

    public string Path { get; }

    /// <summary>The listening socket's fd, which a new master inherits on SIGUSR2.</summary>
    public int Fd => (int)_listener.SafeHandle.DangerousGetHandle();

    /// <summary>
    /// Serves the control socket the previous master listened on (SIGUSR2), from the moment <paramref name="servingFrom"/>
    /// completes (that master let go): until then its clients reach the master that still serves.
    /// </summary>
    public static ControlServer Adopt(string path, Socket listener, MasterControl control, ILogger<ControlServer> logger, Task servingFrom)
    {
        LogListening(logger, path);
        return new ControlServer(path, listener, control, Libc.GetEffectiveUserId(), logger, servingFrom);
    }

    /// <summary>
    /// A new master serves the socket now: stop accepting and close this master's copy, leaving the file (now
    /// the new master's) in place. Without close-on-exec, .NET closes it without a shutdown(2), which would end the
    /// listening in both processes.
    /// </summary>
    public void HandOver()
    {
        _handedOver = true;
        _closing.Cancel();
        _accepting.Wait(TimeSpan.FromSeconds(1));
        Libc.SetInheritable(Fd, inheritable: true);
        _listener.Dispose();
    }

    /// <summary>Binds the socket, or says in one line why it cannot: another procman has it, or the path is not a socket.</summary>
    /// <param name="inRuntimeDirectory">The path is the default one, in procman's runtime directory, which must be procman's own (<see cref="ControlSocketPath.RuntimeDirectoryProblem"/>).</param>
    /// <exception cref="ProcmanException">The path is taken or cannot be created.</exception>
    /// <remarks>
    /// The socket stays the master's when the workers run as another user (procman's user setting): root-owned, mode
    /// 0600, served to root and procman's own uid only. The workers' user cannot stop, reload or dump procman.
    /// </remarks>
    public static ControlServer Open(string path, MasterControl control, ILogger<ControlServer> logger, bool inRuntimeDirectory = false)
    {
        var owner = Libc.GetEffectiveUserId();
        var directory = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            // Checked after creating it too: another user may have created it in between.
            if (inRuntimeDirectory && ControlSocketPath.RuntimeDirectoryProblem(directory, owner) is { } problem)
            {
                throw new ProcmanException(problem, ExitCodes.UsageError);
            }
            RemoveStale(path, logger);
            // The umask makes the file 0600 from the moment it exists: a chmod after bind leaves a window. Bound by
            // procman, not by Socket.Bind, whose Dispose would delete the file even when a new master (SIGUSR2) serves it.
            Socket listener;
            var previous = Libc.Umask(0b001_111_111);
            try
            {
                listener = new Socket(new SafeSocketHandle(Libc.BindUnixSocket(path), ownsHandle: true));
            }
            finally
            {
                Libc.Umask(previous);
            }
            listener.Listen(16);
            LogListening(logger, path);
            return new ControlServer(path, listener, control, owner, logger);
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            throw new ProcmanException($"cannot create the control socket {path}: {ex.Message}; set control_socket to a writable path or pass --no-control-socket", ExitCodes.UsageError);
        }
    }

    public void Dispose()
    {
        // A command the master answered just before it finished (stop with one quick worker) is still being
        // written: its client must get the answer, not a closed connection.
        Task.WaitAll([.. _answers.Values], AnswerBound);
        _closing.Cancel();
        // Closing the listener ends the accept loop; connections still open (stop --wait) see EOF as the
        // master exits, which is what their clients wait for.
        _listener.Dispose();
        // Not when it was handed over, nor when it was never served here: a new master that failed before the old
        // one let go leaves the file to the old one.
        if (!_handedOver && _servingFrom.IsCompleted)
        {
            try
            {
                File.Delete(Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        _accepting.Wait(TimeSpan.FromSeconds(1));
        _closing.Dispose();
    }

    private static void RemoveStale(string path, ILogger logger)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return;
        }
        if ((File.GetAttributes(path) & FileAttributes.Directory) != 0 || !IsSocket(path))
        {
            throw new ProcmanException($"the control socket path {path} exists and is not a socket; remove it or set control_socket to another path", ExitCodes.UsageError);
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            // Nobody listens: a master that was killed left it behind.
            File.Delete(path);
            LogRemovedStale(logger, path);
            return;
        }
        throw new ProcmanException($"another procman is listening on the control socket {path}; give this one another proc_name, pidfile or control_socket", ExitCodes.AlreadyRunning);
    }

    private static bool IsSocket(string path)
    {
        try
        {
            // A socket file has no content to open: opening it fails with ENXIO, unlike any regular file.
            using var _ = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task AcceptAsync(Task servingFrom)
    {
        try
        {
            await servingFrom.WaitAsync(_closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!_closing.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            var (pid, uid) = PeerOf(connection);
            try
            {
                // The request is read before the peer is judged, so that a refused client is not cut off while
                // it writes and reads the refusal rather than a broken pipe.
                var (request, problem) = await ReadRequestAsync(connection).ConfigureAwait(false);
                if (uid != 0 && uid != _owner)
                {
                    LogPeerRefused(_logger, pid, uid, _owner);
                    await WriteAsync(connection, ControlResponse.Refused($"permission denied: only root and uid {_owner} may use this control socket")).ConfigureAwait(false);
                    return;
                }
                if (request is null)
                {
                    LogBadRequest(_logger, pid, problem!);
                    await WriteAsync(connection, ControlResponse.Refused(problem!)).ConfigureAwait(false);
                    return;
                }
                if (request.Command == ControlRequest.Status)
                {
                    LogQuery(_logger, request.Command, pid, uid);
                }
                else
                {
                    LogCommand(_logger, request.Command, pid, uid);
                }
                var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var answer = Interlocked.Increment(ref _lastAnswer);
                _answers[answer] = answered.Task;
                ControlResponse response;
                try
                {
                    response = await _control.SendAsync(request, _closing.Token).ConfigureAwait(false);
                    await WriteAsync(connection, response).ConfigureAwait(false);
                }
                finally
                {
                    answered.TrySetResult();
                    _answers.TryRemove(answer, out _);
                }
                if (request.Command == ControlRequest.Stop && response.Ok)
                {
                    // Held open until the master exits: the client's EOF is the end of the stop.
                    await Task.Delay(Timeout.Infinite, _closing.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                LogConnectionEnded(_logger, pid, ex.Message);
            }
        }
    }

    private static (int Pid, uint Uid) PeerOf(Socket connection)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        connection.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return (BinaryPrimitives.ReadInt32LittleEndian(credentials), BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]));
    }

    private async Task<(ControlRequest? Request, string? Problem)> ReadRequestAsync(Socket connection)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        bound.CancelAfter(RequestBound);
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
        {
            if (length == buffer.Length)
            {
                return (null, $"request longer than {MaxRequestBytes} bytes");
            }
            var read = await connection.ReceiveAsync(buffer.AsMemory(length), bound.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        var end = Array.IndexOf(buffer, (byte)'\n', 0, length);
        var line = buffer.AsSpan(0, end < 0 ? length : end);
        try
        {
            var request = ControlCodec.ReadRequest(line);
            return request.Version == ControlRequest.CurrentVersion
                ? (request, null)
                : (null, $"protocol version {request.Version} is not spoken here; this procman speaks version {ControlRequest.CurrentVersion}");
        }
        catch (JsonException ex)
        {
            return (null, $"not a request: {ex.Message}");
        }
    }

    private static async Task WriteAsync(Socket connection, ControlResponse response)
    {
        var json = ControlCodec.Write(response);
        await connection.SendAsync(Encoding.UTF8.GetBytes(json + "\n"), SocketFlags.None).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "Control socket at {Path}")]
    private static partial void LogListening(ILogger logger, string path);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "Control: {Command} from pid {Pid} (uid {Uid})")]
    private static partial void LogCommand(ILogger logger, string command, int pid, uint uid);

    [LoggerMessage(EventId = 152, Level = LogLevel.Debug, Message = "Control: {Command} from pid {Pid} (uid {Uid})")]
    private static partial void LogQuery(ILogger logger, string command, int pid, uint uid);

    [LoggerMessage(EventId = 153, Level = LogLevel.Warning, Message = "Control connection from pid {Pid} (uid {Uid}) refused: only root and uid {Owner} may use the control socket")]
    private static partial void LogPeerRefused(ILogger logger, int pid, uint uid, uint owner);

    [LoggerMessage(EventId = 154, Level = LogLevel.Warning, Message = "Control request from pid {Pid} refused: {Problem}")]
    private static partial void LogBadRequest(ILogger logger, int pid, string problem);

    [LoggerMessage(EventId = 155, Level = LogLevel.Debug, Message = "Control connection from pid {Pid} ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, int pid, string reason);

    [LoggerMessage(EventId = 156, Level = LogLevel.Information, Message = "Removed a stale control socket at {Path}: nothing listened on it")]
    private static partial void LogRemovedStale(ILogger logger, string path);
}
