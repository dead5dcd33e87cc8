using Microsoft.Extensions.Logging;

namespace Procman.Tests.Arbitration;

/// <summary>Keeps every event logged, with its id and its rendered message.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public List<(int Id, string Message)> Events { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Events.Add((eventId.Id, formatter(state, exception)));
}
