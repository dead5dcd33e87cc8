using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Runs the wrk load generator against a local address and reads its summary.</summary>
internal static partial class Wrk
{
    public sealed record Result(long Requests, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts, long Non2xx, string Output)
    {
        public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;
    }

    /// <summary>Starts wrk; the returned task completes when wrk has finished (bounded by its duration plus a margin).</summary>
    public static async Task<Result> RunAsync(Uri url, int connections, TimeSpan duration, bool keepAlive = true, int threads = 2)
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
        start.ArgumentList.Add(url.ToString());

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start; install it (apt-get install wrk)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
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

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();
}
