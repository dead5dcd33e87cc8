using System.Globalization;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>
/// One access log file written by several workers at once, and truncated under them as logrotate's copytruncate does:
/// every request's line lands whole at the file's end, none written over another worker's.
/// </summary>
public sealed class AccessLogFileTests
{
    private const int Requests = 400;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FourWorkers_WritingOneFile_KeepEveryLine_AndATruncationLeavesNoHole()
    {
        using var directory = new TempDirectory();
        var accessLog = directory.Combine("access.log");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 4, "--access-logfile", accessLog);
        using var client = procman.CreateClient(keepAlive: false);

        var pids = await RequestAsync(client, Requests);
        Assert.True(pids.Count >= 2, $"the requests reached {pids.Count} worker(s); the test needs two writing at once");
        var lines = await WaitForLinesAsync(accessLog, Requests);
        Assert.All(lines, line => Assert.Contains("\"GET /pid HTTP/1.1\" 200", line, StringComparison.Ordinal));

        // copytruncate: the file is emptied in place while every worker holds it open.
        File.WriteAllText(accessLog, "");
        await RequestAsync(client, 20);
        lines = await WaitForLinesAsync(accessLog, 20);
        Assert.DoesNotContain('\0', File.ReadAllText(accessLog));
        Assert.All(lines, line => Assert.Contains("\"GET /pid HTTP/1.1\" 200", line, StringComparison.Ordinal));
    }

    /// <summary>Requests /pid <paramref name="count"/> times, eight at a time, each on a connection of its own.</summary>
    private static async Task<HashSet<int>> RequestAsync(HttpClient client, int count)
    {
        var pids = new HashSet<int>();
        for (var done = 0; done < count; done += 8)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, Math.Min(8, count - done)).Select(_ => client.GetStringAsync("/pid")));
            pids.UnionWith(batch.Select(text => int.Parse(text, CultureInfo.InvariantCulture)));
        }
        return pids;
    }

    /// <summary>The file's lines once it has <paramref name="expected"/> of them: a worker writes its line as the response ends.</summary>
    private static async Task<string[]> WaitForLinesAsync(string path, int expected)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (File.ReadAllLines(path).Length < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        // A line more than the requests made would be a line written twice: give it the time to show.
        await Task.Delay(200);
        var lines = File.ReadAllLines(path);
        Assert.True(lines.Length == expected, $"{lines.Length} access lines for {expected} requests");
        return lines;
    }
}
