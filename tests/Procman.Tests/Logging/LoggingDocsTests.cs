using System.Reflection;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;

namespace Procman.Tests.Logging;

public sealed class LoggingDocsTests
{
    [Fact]
    public void EveryEventId_IsDocumentedOnce_InDocsLogging()
    {
        var events = typeof(Arbiter).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToArray();
        var docs = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "logging.md"));

        Assert.Equal(events.Length, events.Select(e => e.EventId).Distinct().Count());
        Assert.All(events, e => Assert.Single(docs, line => line.StartsWith($"| {e.EventId} | {e.Level} | {e.Message.Replace("\n", " ", StringComparison.Ordinal)} |", StringComparison.Ordinal)));
    }
}
