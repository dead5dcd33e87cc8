using System.Diagnostics;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>A client command (procman status, reload, ...) run to its end, with its output.</summary>
internal sealed record ProcmanCommand(int ExitCode, string Output, string Error)
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <param name="user">Run it as this user (through runuser), to be refused.</param>
    public static async Task<ProcmanCommand> RunAsync(IEnumerable<string> arguments, string? user = null)
    {
        var start = new ProcessStartInfo(user is null ? Paths.DotnetHost : "runuser")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (user is not null)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(user);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(Paths.DotnetHost);
        }
        start.ArgumentList.Add(Paths.Procman);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("PROCMAN_CMD_ARGS");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"procman {string.Join(' ', arguments)} did not end within {Bound.TotalSeconds} s");
        }
        return new ProcmanCommand(process.ExitCode, (await output).TrimEnd(), (await error).TrimEnd());
    }
}
