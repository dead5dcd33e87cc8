using System.Diagnostics;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Runs a command-line tool (curl, openssl) to its end, bounded, and returns its exit code and output.</summary>
internal static class Tool
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {Bound.TotalSeconds} s");
        }
        return new Result(process.ExitCode, await output, await errors);
    }

    /// <summary>A self-signed certificate for CN=localhost made by openssl, as an operator makes one: (cert.pem, key.pem).</summary>
    public static async Task<(string CertFile, string KeyFile)> SelfSignedCertificateAsync(TempDirectory directory)
    {
        var certFile = directory.Combine("cert.pem");
        var keyFile = directory.Combine("key.pem");
        var result = await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=localhost");
        Assert.True(result.ExitCode == 0, result.Errors);
        return (certFile, keyFile);
    }
}
