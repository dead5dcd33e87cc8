using Procman.Protocol;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Procman.Logging;

/// <summary>
/// The master's error log file. <see cref="Reopen"/> (on SIGUSR1) closes and opens the path again, so that
/// after logrotate moves the file away, new lines go to a new file at the same path.
/// </summary>
/// <remarks>
/// A reopen that fails (the directory was removed, or is no longer writable) must not cost the log or the
/// master: the file opened before stays in use while it still has a name, and stderr takes over once it has
/// none, since lines written to a deleted file reach nobody. The next SIGUSR1 tries the path again.
/// </remarks>
internal sealed class ReopenableFileSink : ILogEventSink, IDisposable
{
    // Large enough that a line reaches the file in one write, which O_APPEND keeps whole.
    private const int LineBuffer = 16384;

    private readonly string _path;
    private readonly ITextFormatter _formatter;
    private readonly object _lock = new();
    private FileStream? _file;
    private TextWriter _writer;

    public ReopenableFileSink(string path, ITextFormatter formatter)
    {
        _path = System.IO.Path.GetFullPath(path);
        _formatter = formatter;
        _file = Open(_path);
        _writer = new StreamWriter(_file, bufferSize: LineBuffer);
    }

    public string Path => _path;

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            _formatter.Format(logEvent, _writer);
            _writer.Flush();
        }
    }

    /// <summary>Opens the path again; on failure keeps writing where it did and returns where that is.</summary>
    /// <returns>Null once the path is open again; otherwise the reason it is not and what is written to now.</returns>
    public ReopenFailure? Reopen()
    {
        FileStream reopened;
        try
        {
            reopened = Open(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (_lock)
            {
                if (_file is not null && !StillNamed(_file))
                {
                    _writer.Dispose();
                    _file = null;
                    _writer = Console.Error;
                }
                return new ReopenFailure(ex.Message, _file is null ? "stderr" : "the file opened before");
            }
        }
        lock (_lock)
        {
            if (_file is not null)
            {
                _writer.Dispose();
            }
            _file = reopened;
            _writer = new StreamWriter(reopened, bufferSize: LineBuffer);
        }
        return null;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_file is not null)
            {
                _writer.Dispose();
            }
        }
    }

    // With O_APPEND: workers' access logs or other tools may write to the same file, and logrotate may truncate it.
    private static FileStream Open(string path) => AppendOnlyFile.Open(path);

    /// <summary>Whether the open file still has a path: Linux marks the link of an unlinked file's fd with " (deleted)".</summary>
    private static bool StillNamed(FileStream file)
    {
        var link = new FileInfo($"/proc/self/fd/{file.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
        return link is not null && !link.EndsWith(" (deleted)", StringComparison.Ordinal);
    }
}
