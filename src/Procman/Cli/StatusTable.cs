using System.Globalization;
using System.Text;
using Procman.Control;

namespace Procman.Cli;

/// <summary><c>procman status</c> for people: a line about the master, then one row per worker; "-" for what a worker has not reported.</summary>
internal static class StatusTable
{
    private static readonly string[] Headers =
        ["SLOT", "PID", "GEN", "STATE", "UPTIME", "REQUESTS", "REQ/S", "IN FLIGHT", "KEEP-ALIVE", "RSS", "PSS", "GC HEAP", "THREADS", "QUEUE", "RESTARTS", "LAST EXIT"];

    public static string Render(MasterSnapshot status)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"procman pid {status.Pid}: {status.State}, generation {status.Generation}, up {Duration(status.UptimeSeconds)}, {status.CountIn("ready")} of {status.TargetWorkers} worker(s) ready\n");
        var rows = status.Workers.Select(worker => new[]
        {
            Text(worker.Slot), Text(worker.Pid), Text(worker.Generation), worker.State, Duration(worker.UptimeSeconds),
            Text(worker.Requests), worker.RequestsPerSecond is { } rate ? rate.ToString("0.0", CultureInfo.InvariantCulture) : "-",
            Text(worker.InFlight), Text(worker.KeepAliveConnections), Bytes(worker.RssBytes), Bytes(worker.PssBytes),
            Bytes(worker.GcHeapBytes), Text(worker.ThreadPoolThreads), Text(worker.ThreadPoolQueue), Text(worker.Restarts), worker.LastExit ?? "-",
        }).ToArray();
        var widths = Headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(Headers))
        {
            text.AppendJoin("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }

    public static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:00}s" : $"{span.Seconds}s";
    }

    public static string Bytes(long? bytes) => bytes is { } value
        ? (value / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + "M"
        : "-";

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
