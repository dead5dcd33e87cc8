using System.Text;

namespace Procman.Worker.Protocol;

/// <summary>
/// The verbs of the master–worker channel: one message per line, a verb and an optional argument.
/// </summary>
internal static class ChannelMessage
{
    /// <summary>Worker → master: the startup hook has attached to the app's host (sent once).</summary>
    public const string Attached = "attached";

    /// <summary>Worker → master: Kestrel is listening on the shared sockets (sent once).</summary>
    public const string Ready = "ready";

    /// <summary>
    /// Worker → master: sent from the thread pool, so a starved pool misses it. The argument is
    /// "REQUESTS KEEPALIVE": requests served so far, and open connections that have carried more than one.
    /// </summary>
    public const string Heartbeat = "hb";

    /// <summary>Worker → master: the worker stopped accepting and is closing its connections.</summary>
    public const string Draining = "draining";

    /// <summary>
    /// Master → worker: stop accepting, answer every further request with <c>Connection: close</c>,
    /// and stop the host once no connection is open or the argument (milliseconds) has passed.
    /// </summary>
    public const string Drain = "drain";

    /// <summary>
    /// Master → worker: the fair share of keep-alive connections per worker (the argument). A worker holding
    /// more stops accepting and asks the excess clients, through Connection: close, to reconnect, so that the
    /// shared accept queue hands them to the workers that hold fewer. 0 lifts the limit.
    /// </summary>
    public const string Share = "share";

    public static string Format(string verb, string? argument = null)
        => argument is null ? verb + "\n" : verb + " " + argument + "\n";

    /// <summary>Appends what was read to <paramref name="pending"/> and takes out every complete line.</summary>
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

    public static (string Verb, string? Argument) Parse(string line)
    {
        var space = line.IndexOf(' ');
        return space < 0 ? (line, null) : (line[..space], line[(space + 1)..]);
    }
}
