using System.Diagnostics;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>A client command (procman status, reload, ...) run to its end, with its output.</summary>
internal sealed record ProcmanCommand(int ExitCode, string Output, string Error)
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <param name="user">Run it as this user (through runuser), to be refused.</param>
    /// <param name="underDotnetHost">Run <c>dotnet procman.dll</c> instead of the executable.</param>
    public static async Task<ProcmanCommand> RunAsync(IEnumerable<string> arguments, string? user = null, bool underDotnetHost = false)
    {
        var command = user is null ? Paths.ProcmanCommandLine(underDotnetHost) : ["runuser", "-u", user, "--", .. Paths.ProcmanCommandLine(underDotnetHost)];
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in command.Skip(1).Concat(arguments))
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
