using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Procman.Logging;

/// <summary>
/// The master's error log file. <see cref="Reopen"/> (on SIGUSR1) closes and opens the path again, so that
/// after logrotate moves the file away, new lines go to a new file at the same path.
/// </summary>
internal sealed class ReopenableFileSink : ILogEventSink, IDisposable
{
    private readonly string _path;
    private readonly ITextFormatter _formatter;
    private readonly object _lock = new();
    private StreamWriter _writer;

    public ReopenableFileSink(string path, ITextFormatter formatter)
    {
        _path = Path.GetFullPath(path);
        _formatter = formatter;
        _writer = Open();
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            _formatter.Format(logEvent, _writer);
            _writer.Flush();
        }
    }

    public void Reopen()
    {
        lock (_lock)
        {
            _writer.Dispose();
            _writer = Open();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }

    // Appending, and shared: workers' access logs or other tools may write to the same file.
    private StreamWriter Open()
        => new(new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
}
