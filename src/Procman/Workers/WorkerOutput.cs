using Microsoft.Extensions.Logging;
using Procman.Logging;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Procman.Workers;

/// <summary>
/// Where the lines workers write to their stdout and stderr go: procman's own stdout and stderr with the
/// worker named in front (the default), or into the master's log (capture_output). With
/// <c>--log-format json</c> each line is a JSON event in either place, so that a container's output is one
/// JSON stream.
/// </summary>
internal sealed partial class WorkerOutput
{
    private const int OutputEventId = 60;
    private static readonly MessageTemplate LineTemplate = new Serilog.Parsing.MessageTemplateParser().Parse("[worker {Slot} pid {Pid}] {Line}");
    private static readonly MessageTemplate EventTemplate = new Serilog.Parsing.MessageTemplateParser().Parse("[worker {Slot} pid {Pid}] {Event}");
    private static readonly LogEventProperty[] Constant =
    [
        new("EventId", new StructureValue([new LogEventProperty("Id", new ScalarValue(OutputEventId))])),
        new("SourceContext", new ScalarValue(typeof(WorkerOutput).FullName)),
        new("ProcessId", new ScalarValue(Environment.ProcessId)),
    ];

    private readonly bool _capture;
    private readonly bool _json;
    private readonly ILogger<WorkerOutput> _logger;
    private readonly Serilog.ILogger _log;
    private readonly TimeProvider _time;
    private readonly CompactJsonFormatter _formatter = new();

    /// <param name="log">The master's log, for captured lines in JSON.</param>
    public WorkerOutput(bool capture, string logFormat, ILogger<WorkerOutput> logger, Serilog.ILogger log, TimeProvider time)
    {
        _capture = capture;
        _json = logFormat == "json";
        _logger = logger;
        _log = log;
        _time = time;
    }

    public void Write(int slot, int pid, bool isError, string line)
    {
        if (_json)
        {
            WriteJson(slot, pid, isError, line);
        }
        else if (_capture)
        {
            LogWorkerOutput(slot, pid, line);
        }
        else
        {
            WholeLines.Write(isError, $"[worker {slot} pid {pid}] {line}\n");
        }
    }

    private void WriteJson(int slot, int pid, bool isError, string line)
    {
        var embedded = JsonLine.TryRead(line);
        var properties = new List<LogEventProperty>(Constant.Length + 4)
        {
            new("Slot", new ScalarValue(slot)),
            new("Pid", new ScalarValue(pid)),
            new("Stream", new ScalarValue(isError ? "stderr" : "stdout")),
            embedded is null ? new("Line", new ScalarValue(line)) : new("Event", embedded.Value.Value),
        };
        properties.AddRange(Constant);
        var logEvent = new LogEvent(_time.GetLocalNow(), embedded?.Level ?? LogEventLevel.Information, null,
            embedded is null ? LineTemplate : EventTemplate, properties);
        if (_capture)
        {
            _log.Write(logEvent);
            return;
        }
        using var text = new StringWriter();
        _formatter.Format(logEvent, text);
        WholeLines.Write(isError, text.ToString());
    }

    [LoggerMessage(EventId = OutputEventId, Level = LogLevel.Information, Message = "[worker {Slot} pid {Pid}] {Line}")]
    private partial void LogWorkerOutput(int slot, int pid, string line);
}
