using System.Globalization;
using System.Text;

namespace Procman.Protocol;

/// <summary>
/// The line format of the channel: one message per line, a verb and then <c>name=value</c> fields, in ASCII.
/// </summary>
/// <remarks>
/// Fields are named rather than positional so that a message can gain a field without its other fields moving:
/// a field a reader does not know is skipped, and a field it expects but does not find reads as 0. To add a
/// message, add its record and one case to each switch below.
/// </remarks>
public static class ChannelCodec
{
    private const string AttachedVerb = "attached";
    private const string ReadyVerb = "ready";
    private const string HeartbeatVerb = "hb";
    private const string DrainingVerb = "draining";
    private const string DrainVerb = "drain";
    private const string ShareVerb = "share";
    private const string MaxRequestsVerb = "max_requests";

    /// <summary>The line for <paramref name="message"/>, newline included.</summary>
    public static string Encode(ChannelMessage message) => message switch
    {
        WorkerMessage.Attached => Line(AttachedVerb),
        WorkerMessage.Ready => Line(ReadyVerb),
        WorkerMessage.Heartbeat heartbeat => Line(
            HeartbeatVerb,
            ("requests", heartbeat.Requests),
            ("keepalive", heartbeat.KeepAliveConnections),
            ("probe_delay_ms", Milliseconds(heartbeat.ProbeDelay)),
            ("probe_wait_ms", Milliseconds(heartbeat.ProbeWaiting)),
            ("threads", heartbeat.PoolThreads),
            ("queued", heartbeat.QueuedItems),
            ("completed", heartbeat.CompletedItems),
            ("inflight", heartbeat.RequestsInFlight),
            ("oldest_ms", Milliseconds(heartbeat.OldestRequest)),
            ("gc_heap", heartbeat.GcHeapBytes),
            ("gc_pause_ms", Milliseconds(heartbeat.GcPause))),
        WorkerMessage.MaxRequestsReached reached => Line(MaxRequestsVerb, ("served", reached.Served), ("limit", reached.Limit)),
        WorkerMessage.Draining => Line(DrainingVerb),
        MasterMessage.Drain drain => Line(DrainVerb, ("deadline_ms", (long)drain.Deadline.TotalMilliseconds)),
        MasterMessage.Share share => Line(ShareVerb, ("connections", share.Connections)),
        _ => throw new ArgumentException($"no line format for {message.GetType().Name}", nameof(message)),
    };

    /// <summary>The message on one line (without its newline), or null for a line this version does not know.</summary>
    public static ChannelMessage? Decode(string line)
    {
        var fields = new MessageFields(line);
        return fields.Verb switch
        {
            AttachedVerb => new WorkerMessage.Attached(),
            ReadyVerb => new WorkerMessage.Ready(),
            HeartbeatVerb => new WorkerMessage.Heartbeat
            {
                Requests = fields.Long("requests"),
                KeepAliveConnections = (int)fields.Long("keepalive"),
                ProbeDelay = TimeSpan.FromMilliseconds(fields.Long("probe_delay_ms")),
                ProbeWaiting = TimeSpan.FromMilliseconds(fields.Long("probe_wait_ms")),
                PoolThreads = (int)fields.Long("threads"),
                QueuedItems = fields.Long("queued"),
                CompletedItems = fields.Long("completed"),
                RequestsInFlight = (int)fields.Long("inflight"),
                OldestRequest = TimeSpan.FromMilliseconds(fields.Long("oldest_ms")),
                GcHeapBytes = fields.Long("gc_heap"),
                GcPause = TimeSpan.FromMilliseconds(fields.Long("gc_pause_ms")),
            },
            MaxRequestsVerb => new WorkerMessage.MaxRequestsReached(fields.Long("served"), fields.Long("limit")),
            DrainingVerb => new WorkerMessage.Draining(),
            DrainVerb => new MasterMessage.Drain(TimeSpan.FromMilliseconds(fields.Long("deadline_ms"))),
            ShareVerb => new MasterMessage.Share((int)fields.Long("connections")),
            _ => null,
        };
    }

    /// <summary>Appends what was read to <paramref name="pending"/> and takes out every complete line; both ends use it.</summary>
    public static List<string> TakeLines(StringBuilder pending, byte[] buffer, int read)
    {
        pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < pending.Length; i++)
        {
            if (pending[i] == '\n')
            {
                if (i > start)
                {
                    lines.Add(pending.ToString(start, i - start));
                }
                start = i + 1;
            }
        }
        pending.Remove(0, start);
        return lines;
    }

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;

    private static string Line(string verb, params (string Name, long Value)[] fields)
    {
        var line = new StringBuilder(verb);
        foreach (var (name, value) in fields)
        {
            line.Append(' ').Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));
        }
        return line.Append('\n').ToString();
    }
}
