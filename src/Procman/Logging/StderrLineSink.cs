using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Procman.Logging;

/// <summary>Writes each event to stderr whole (<see cref="WholeLines"/>), so two masters' events never interleave.</summary>
internal sealed class StderrLineSink(ITextFormatter formatter) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        formatter.Format(logEvent, text);
        WholeLines.Write(toStderr: true, text.ToString());
    }
}
