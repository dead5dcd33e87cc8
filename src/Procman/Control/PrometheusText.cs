using System.Globalization;
using System.Text;

namespace Procman.Control;

/// <summary>
/// Renders a <see cref="MasterSnapshot"/> in the Prometheus text exposition format (version 0.0.4). A value a
/// worker has not reported is left out, not written as 0, so a dashboard shows a gap rather than a lie.
/// </summary>
/// <remarks>
/// Written from the snapshot rather than through an exporter library: every value already sits in one
/// immutable object per scrape, and a library would want a second, mutable registry kept in step with it
/// (and series removed by hand when a worker goes).
/// </remarks>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(MasterSnapshot status)
    {
        var text = new StringBuilder();
        Family(text, "procman_start_time_seconds", "gauge", "When the master started, in seconds since the Unix epoch.",
            [("", status.StartedAt.ToUnixTimeMilliseconds() / 1000.0)]);
        Family(text, "procman_generation", "gauge", "The generation of the workers in force: one more for every completed reload.",
            [("", status.Generation)]);
        Family(text, "procman_workers_target", "gauge", "The number of worker slots that should have a worker.",
            [("", status.TargetWorkers)]);
        Family(text, "procman_workers", "gauge", "Worker processes by state.",
            WorkerSnapshot.States, state => ($"state=\"{state}\"", status.CountIn(state)));
        Family(text, "procman_worker_restarts_total", "counter", "Workers replaced since the start, by reason.",
            status.Restarts.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToArray(), pair => ($"reason=\"{pair.Key}\"", pair.Value));
        Family(text, "procman_reloads_total", "counter", "Reloads since the start, by result.",
            [("result=\"completed\"", status.Reloads.Completed), ("result=\"failed\"", status.Reloads.Failed), ("result=\"refused\"", status.Reloads.Refused)]);
        Summary(text, "procman_reload_duration_seconds", "Time from a reload's start until every new worker was ready, over completed reloads.",
            status.Reloads.DurationSecondsSum, status.Reloads.Completed);
        Summary(text, "procman_worker_boot_duration_seconds", "Time from a worker's start until it was ready.",
            status.BootSecondsSum, status.Boots);

        var workers = status.Workers;
        Family(text, "procman_worker_requests_total", "counter", "Requests a worker has served.", workers, w => w.Requests);
        Family(text, "procman_worker_requests_in_flight", "gauge", "Requests a worker is serving now.", workers, w => w.InFlight);
        Family(text, "procman_worker_keepalive_connections", "gauge", "Open keep-alive connections of a worker.", workers, w => w.KeepAliveConnections);
        Family(text, "procman_worker_resident_memory_bytes", "gauge", "A worker's resident set size (RSS): counts the pages it shares in full.", workers, w => w.RssBytes);
        Family(text, "procman_worker_proportional_memory_bytes", "gauge", "A worker's proportional set size (PSS): a fair part of the pages it shares; add these up.", workers, w => w.PssBytes);
        Family(text, "procman_worker_gc_heap_bytes", "gauge", "A worker's managed heap size.", workers, w => w.GcHeapBytes);
        Family(text, "procman_worker_threadpool_threads", "gauge", "A worker's thread-pool threads.", workers, w => w.ThreadPoolThreads);
        Family(text, "procman_worker_threadpool_queue_length", "gauge", "Work items waiting in a worker's thread pool.", workers, w => w.ThreadPoolQueue);
        Family(text, "procman_worker_probe_delay_seconds", "gauge", "How late a worker's thread pool ran the last heartbeat probe.", workers, w => w.ProbeDelaySeconds);
        Family(text, "procman_worker_uptime_seconds", "gauge", "Time since a worker started.", workers, w => w.UptimeSeconds);
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help, IReadOnlyList<WorkerSnapshot> workers, Func<WorkerSnapshot, double?> value)
        => Family(text, name, type, help, workers, worker => ($"slot=\"{worker.Slot}\",pid=\"{worker.Pid}\"", value(worker)));

    private static void Family<T>(StringBuilder text, string name, string type, string help, IReadOnlyList<T> items, Func<T, (string Labels, double? Value)> sample)
        => Family(text, name, type, help, items.Select(sample).ToArray());

    private static void Family(StringBuilder text, string name, string type, string help, IReadOnlyList<(string Labels, double? Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            if (value is { } number)
            {
                Sample(text, name, labels, number);
            }
        }
    }

    private static void Summary(StringBuilder text, string name, string help, double sum, long count)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" summary\n");
        Sample(text, name + "_sum", "", sum);
        Sample(text, name + "_count", "", count);
    }

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }
        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
