using Microsoft.AspNetCore.Http;
using Procman.Protocol;

namespace Procman.Worker.Hosting;

/// <summary>
/// Writes one line per request to stdout or to a file shared by every worker. The file is opened with O_APPEND
/// (<see cref="AppendOnlyFile"/>), so each line, written in one call, lands whole at its end whichever worker writes
/// it, and it is reopened on SIGUSR1 so that logrotate can move it away.
/// </summary>
/// <remarks>
/// A file that cannot be opened (its directory was removed, or made read-only) costs a warning on stderr,
/// never the worker nor a request: the file opened before stays in use while it still has a name, stdout
/// takes over otherwise, and the next SIGUSR1 tries the path again. A line that cannot be written is dropped.
/// </remarks>
internal sealed class AccessLog
{
    private const string Stdout = "-";

    private readonly string _destination;
    private readonly AccessLogFormat _format;
    private readonly object _lock = new();
    private FileStream? _file;
    private TextWriter _writer;
    private bool _writeFailed;

    public AccessLog(string destination, string format)
    {
        _destination = destination;
        _format = new AccessLogFormat(format);
        _writer = Console.Out;
        if (destination != Stdout)
        {
            Reopen();
        }
    }

    public void Write(HttpContext context, TimeSpan elapsed)
    {
        var line = _format.Render(context, elapsed) + "\n";
        lock (_lock)
        {
            try
            {
                _writer.Write(line);
                _writer.Flush();
                _writeFailed = false;
            }
            catch (IOException ex)
            {
                if (!_writeFailed)
                {
                    _writeFailed = true;
                    Warn($"cannot write to the access log {_destination}: {ex.Message}; dropping access lines until a write succeeds");
                }
            }
        }
    }

    public void Reopen()
    {
        if (_destination == Stdout)
        {
            return;
        }
        FileStream reopened;
        try
        {
            reopened = AppendOnlyFile.Open(_destination);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (_lock)
            {
                if (_file is not null && !StillNamed(_file))
                {
                    _writer.Dispose();
                    _file = null;
                    _writer = Console.Out;
                }
                Warn($"cannot open the access log {_destination}: {ex.Message}; writing access lines to {(_file is null ? "stdout" : "the file opened before")} until a SIGUSR1 finds the path writable again");
            }
            return;
        }
        lock (_lock)
        {
            if (_file is not null)
            {
                _writer.Dispose();
            }
            _file = reopened;
            _writer = new StreamWriter(reopened, bufferSize: 16384);
        }
    }

    private static void Warn(string message) => Console.Error.WriteLine($"procman: warning: {message}");

    /// <summary>Whether the open file still has a path: Linux marks the link of an unlinked file's fd with " (deleted)".</summary>
    private static bool StillNamed(FileStream file)
    {
        var link = new FileInfo($"/proc/self/fd/{file.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
        return link is not null && !link.EndsWith(" (deleted)", StringComparison.Ordinal);
    }
}
