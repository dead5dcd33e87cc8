using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Runs the wrk load generator against a local address and reads its summary.</summary>
internal static partial class Wrk
{
    /// <summary>
    /// Counts responses per serving worker (the test app's GET /pid answers with the pid alone), leaving out
    /// the first <paramref name="skipSeconds"/> seconds of the run.
    /// </summary>
    public static string CountPerPidScript(int skipSeconds = 0) => $$"""
        wrk.path = "/pid"
        local threads = {}
        function setup(thread) table.insert(threads, thread) end
        counts = {}
        local started = nil
        function response(status, headers, body)
           started = started or os.time()
           if os.time() - started >= {{skipSeconds}} then counts[body] = (counts[body] or 0) + 1 end
        end
        function done(summary, latency, requests)
           local total = {}
           for _, thread in ipairs(threads) do
              for pid, n in pairs(thread:get("counts")) do total[pid] = (total[pid] or 0) + n end
           end
           for pid, n in pairs(total) do io.write(string.format("total pid %s %d\n", pid, n)) end
        end
        """;

    public sealed record Result(long Requests, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts, long Non2xx, string Output)
    {
        /// <summary>Responses per pid, when the run used <see cref="CountPerPidScript(int)"/>.</summary>
        public IReadOnlyDictionary<int, long> PerPid => PerPidPattern().Matches(Output)
            .ToDictionary(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match => long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));

        public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;
    }

    /// <summary>Starts wrk; the returned task completes when wrk has finished (bounded by its duration plus a margin).</summary>
    /// <remarks>Cancelling <paramref name="cancellationToken"/> kills wrk and throws <see cref="OperationCanceledException"/>.</remarks>
    /// <param name="until">
    /// Ends the run early, with its summary, when it completes (wrk stops on SIGINT and reports): for a run that
    /// must last until something has happened, however long that takes on a loaded machine, and <paramref name="duration"/> bounds it.
    /// </param>
    public static async Task<Result> RunAsync(Uri url, int connections, TimeSpan duration, bool keepAlive = true, int threads = 2, string? script = null, Task? until = null, CancellationToken cancellationToken = default)
    {
        var scriptFile = script is null ? null : Path.Combine(Path.GetTempPath(), $"procman-wrk-{Guid.NewGuid():N}.lua");
        if (scriptFile is not null)
        {
            await File.WriteAllTextAsync(scriptFile, script);
        }
        try
        {
            return await RunProcessAsync(url, connections, duration, keepAlive, threads, scriptFile, until, cancellationToken);
        }
        finally
        {
            if (scriptFile is not null)
            {
                File.Delete(scriptFile);
            }
        }
    }

    private static async Task<Result> RunProcessAsync(Uri url, int connections, TimeSpan duration, bool keepAlive, int threads, string? scriptFile, Task? until, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "10s" })
        {
            start.ArgumentList.Add(argument);
        }
        if (!keepAlive)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add("Connection: close");
        }
        if (scriptFile is not null)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(scriptFile);
        }
        start.ArgumentList.Add(url.ToString());

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start; install it (apt-get install wrk)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancellation.CancelAfter(duration + TimeSpan.FromSeconds(30));
        try
        {
            var exited = process.WaitForExitAsync(cancellation.Token);
            if (until is not null && await Task.WhenAny(exited, until) == until)
            {
                Native.Kill(process.Id, Native.SigInt);
            }
            await exited;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException("wrk did not finish in time");
        }
        var text = await output + await error;
        return Parse(text);
    }

    public static Result Parse(string text)
    {
        var requests = RequestsPattern().Match(text);
        if (!requests.Success)
        {
            throw new InvalidOperationException($"unexpected wrk output:\n{text}");
        }
        var errors = SocketErrorsPattern().Match(text);
        var non2xx = Non2xxPattern().Match(text);
        long Group(Match match, int index) => match.Success ? long.Parse(match.Groups[index].Value, CultureInfo.InvariantCulture) : 0;
        return new Result(
            Requests: Group(requests, 1),
            ConnectErrors: Group(errors, 1),
            ReadErrors: Group(errors, 2),
            WriteErrors: Group(errors, 3),
            Timeouts: Group(errors, 4),
            Non2xx: Group(non2xx, 1),
            Output: text);
    }

    [GeneratedRegex(@"total pid (\d+) (\d+)")]
    private static partial Regex PerPidPattern();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();
}
