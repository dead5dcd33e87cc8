using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Procman.Logging;

/// <summary>Serilog for the master: readable text on stderr for people, or compact JSON for machines.</summary>
internal static class MasterLogging
{
    private const string TextTemplate = "[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz}] [{ProcessId}] [{Level:u4}] {Message:lj}{NewLine}{Exception}";

    /// <param name="errorLog">- for stderr, or a file path.</param>
    public static Serilog.ILogger Create(string level, string format, string errorLog)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(level))
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.WithProperty("ProcessId", Environment.ProcessId);
        var formatter = format == "json"
            ? (Serilog.Formatting.ITextFormatter)new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);
        configuration = errorLog == "-"
            ? configuration.WriteTo.Console(formatter, standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.File(formatter, errorLog, shared: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
        return configuration.CreateLogger();
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
