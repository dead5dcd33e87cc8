using System.Diagnostics;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>procman top in a real terminal: a detached tmux session whose screen the test reads.</summary>
public sealed class TopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("q")]
    [InlineData("C-c")]
    public async Task Top_ShowsEveryWorker_AndQuitsOnTheKey(string key)
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("procman.ctl");
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--control-socket", socket);
        var session = $"procman-top-{Guid.NewGuid():N}";
        var exit = directory.Combine("exit");
        // The shell catches SIGINT (its child still gets the default) so that it outlives a Ctrl+C and records top's exit code.
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "200", "-y", "40",
            $"bash -c \"trap : INT; '{Paths.Procman}' top --control-socket '{socket}'; echo \\$? > '{exit}'; sleep 60\"");
        try
        {
            var pids = procman.ReadyWorkers();
            await UntilAsync(async () =>
            {
                var screen = await TmuxAsync("capture-pane", "-p", "-t", session);
                return pids.All(pid => screen.Contains($" {pid} ", StringComparison.Ordinal)) && screen.Contains("2/2 ready", StringComparison.Ordinal);
            }, "both workers on the screen");

            await TmuxAsync("send-keys", "-t", session, key);

            await UntilAsync(() => Task.FromResult(File.Exists(exit) && new FileInfo(exit).Length > 0), "top to quit");
            Assert.Equal("0", (await File.ReadAllTextAsync(exit)).Trim());
        }
        finally
        {
            await TmuxAsync("kill-session", "-t", session);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Bound.TotalSeconds} s for {what}");
            }
            // A terminal screen raises no event to wait on: poll it, within the bound.
            await Task.Delay(200);
        }
    }

    private static async Task<string> TmuxAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var tmux = Process.Start(start)!;
        var output = tmux.StandardOutput.ReadToEndAsync();
        await tmux.WaitForExitAsync().WaitAsync(Bound);
        return await output;
    }
}
