using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Procman.Logging;

/// <summary>Serilog for the master: readable text for people, or compact JSON for machines, on stderr or in a file.</summary>
internal sealed class MasterLogging : IDisposable
{
    private const string TextTemplate = "[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz}] [{ProcessId}] [{Level:u4}] {Message:lj}{NewLine}{Exception}";

    private readonly ReopenableFileSink? _file;

    /// <param name="errorLog">- for stderr, or a file path.</param>
    public MasterLogging(string level, string format, string errorLog)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(level))
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.WithProperty("ProcessId", Environment.ProcessId);
        ITextFormatter formatter = format == "json"
            ? new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, CultureInfo.InvariantCulture);
        if (errorLog == "-")
        {
            configuration.WriteTo.Console(formatter, standardErrorFromLevel: LogEventLevel.Verbose);
        }
        else
        {
            _file = new ReopenableFileSink(errorLog, formatter);
            configuration.WriteTo.Sink(_file);
        }
        Logger = configuration.CreateLogger();
    }

    public Serilog.ILogger Logger { get; }

    /// <summary>Reopens the error log file (SIGUSR1); nothing to do when logging to stderr.</summary>
    public void Reopen() => _file?.Reopen();

    public void Dispose()
    {
        (Logger as IDisposable)?.Dispose();
        _file?.Dispose();
    }

    private static LogEventLevel ToSerilog(string level) => level switch
    {
        "debug" => LogEventLevel.Debug,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "critical" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}
