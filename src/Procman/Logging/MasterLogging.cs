using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Extensions.Logging;
using Microsoft.Extensions.Logging;

namespace Procman.Logging;

/// <summary>Serilog for the master: readable text for people, or compact JSON for machines, on stderr or in a file.</summary>
internal sealed partial class MasterLogging : IDisposable
{
    private const string TextTemplate = "[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz}] [{ProcessId}] [{Level:u4}] {Message:lj}{NewLine}{Exception}";

    private readonly ReopenableFileSink? _file;
    private readonly SerilogLoggerProvider _provider;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;

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
            configuration.WriteTo.Sink(new StderrLineSink(formatter));
        }
        else
        {
            _file = new ReopenableFileSink(errorLog, formatter);
            configuration.WriteTo.Sink(_file);
        }
        Logger = configuration.CreateLogger();
        _provider = new SerilogLoggerProvider(Logger);
        _logger = _provider.CreateLogger(typeof(MasterLogging).FullName!);
    }

    public Serilog.ILogger Logger { get; }

    /// <summary>Reopens the error log file (SIGUSR1); nothing to do when logging to stderr.</summary>
    /// <remarks>A file that cannot be opened again costs one warning, never the master: logging goes on.</remarks>
    public void Reopen()
    {
        if (_file?.Reopen() is { } failure)
        {
            LogReopenFailed(_logger, _file.Path, failure.Reason, failure.WritingTo);
        }
    }

    public void Dispose()
    {
        _provider.Dispose();
        (Logger as IDisposable)?.Dispose();
        _file?.Dispose();
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Warning, Message = "Cannot reopen the error log {Path}: {Reason}; writing to {WritingTo} until a SIGUSR1 finds the path writable again")]
    private static partial void LogReopenFailed(Microsoft.Extensions.Logging.ILogger logger, string path, string reason, string writingTo);

    private static LogEventLevel ToSerilog(string level) => level switch
    {
        "debug" => LogEventLevel.Debug,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "critical" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}
