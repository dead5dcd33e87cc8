using System.Reflection;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Worker.Hosting;

namespace Procman.Tests.Logging;

public sealed class LoggingDocsTests
{
    [Fact]
    public void EveryEventId_IsDocumentedOnce_InDocsLogging()
    {
        // The master's events and those each worker logs through the app's logging.
        var events = new[] { typeof(Arbiter).Assembly, typeof(WorkerAgent).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToArray();
        var docs = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "logging.md"));

        Assert.Equal(events.Length, events.Select(e => e.EventId).Distinct().Count());
        Assert.All(events, e => Assert.Single(docs, line => line.StartsWith($"| {e.EventId} | {e.Level} | {e.Message.Replace("\n", " ", StringComparison.Ordinal)} |", StringComparison.Ordinal)));
    }
}
