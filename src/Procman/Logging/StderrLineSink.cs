using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Procman.Logging;

/// <summary>
/// Writes each event to stderr in one write(2). During an upgrade (SIGUSR2) two masters share the same stderr;
/// the console's writer flushes every 256 characters, so their lines would interleave mid-line. One write of at
/// most PIPE_BUF (4096) bytes to a pipe is atomic, and a longer one still arrives whole unless the other master
/// writes at that very moment.
/// </summary>
internal sealed class StderrLineSink(ITextFormatter formatter) : ILogEventSink, IDisposable
{
    private readonly Stream _stderr = Console.OpenStandardError();

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        formatter.Format(logEvent, text);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        // Console.Error (a worker's lines) is synchronized on itself: taking the same lock keeps a worker's line and an
        // event whole in this process too.
        lock (Console.Error)
        {
            try
            {
                _stderr.Write(bytes);
            }
            catch (IOException)
            {
                // stderr is closed (its reader went away): logging has nowhere to go, and serving goes on.
            }
        }
    }

    public void Dispose() => _stderr.Dispose();
}
