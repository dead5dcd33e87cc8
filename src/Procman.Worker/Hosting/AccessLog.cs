using Microsoft.AspNetCore.Http;

namespace Procman.Worker.Hosting;

/// <summary>
/// Writes one line per request to stdout or to a file shared by every worker. The file is opened for
/// appending, so each line lands whole at its end whichever worker writes it, and it is reopened on
/// SIGUSR1 so that logrotate can move it away.
/// </summary>
internal sealed class AccessLog
{
    private readonly string _destination;
    private readonly AccessLogFormat _format;
    private readonly object _lock = new();
    private TextWriter _writer;

    public AccessLog(string destination, string format)
    {
        _destination = destination;
        _format = new AccessLogFormat(format);
        _writer = Open();
    }

    public void Write(HttpContext context, TimeSpan elapsed)
    {
        var line = _format.Render(context, elapsed) + "\n";
        lock (_lock)
        {
            _writer.Write(line);
            _writer.Flush();
        }
    }

    public void Reopen()
    {
        lock (_lock)
        {
            if (_destination != "-")
            {
                _writer.Dispose();
                _writer = Open();
            }
        }
    }

    private TextWriter Open() => _destination == "-"
        ? Console.Out
        : new StreamWriter(new FileStream(_destination, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), bufferSize: 16384);
}
