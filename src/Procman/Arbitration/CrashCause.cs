namespace Procman.Arbitration;

/// <summary>
/// Names why a worker exited, from its exit status and the last lines it wrote to stderr: an unhandled
/// exception the runtime printed, and among those the causes that come from the environment rather than the
/// code (an address in use, a missing file), which a restart does not cure.
/// </summary>
internal static class CrashCause
{
    // The .NET runtime's first line for an exception nothing caught: "Unhandled exception. TYPE: MESSAGE".
    private const string UnhandledPrefix = "Unhandled exception. ";

    public static string Describe(WorkerExit exit, IReadOnlyList<string> errors)
    {
        var unhandled = errors.LastOrDefault(line => line.StartsWith(UnhandledPrefix, StringComparison.Ordinal))?[UnhandledPrefix.Length..].Trim();
        var evidence = unhandled ?? errors.LastOrDefault(line => line.Trim().Length > 0)?.Trim();
        if (errors.Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
        {
            return $"address already in use ({Trimmed(errors.Last(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))}); another process holds an address the app binds itself";
        }
        if (unhandled is not null && (unhandled.StartsWith("System.IO.FileNotFoundException", StringComparison.Ordinal)
            || unhandled.StartsWith("System.IO.DirectoryNotFoundException", StringComparison.Ordinal)))
        {
            return $"a missing file (unhandled {unhandled})";
        }
        if (unhandled is not null)
        {
            return $"unhandled {unhandled}";
        }
        return evidence is null ? $"{exit}, with nothing on stderr" : $"{exit}; its last error line: {evidence}";
    }

    private static string Trimmed(string line)
    {
        line = line.Trim();
        return line.StartsWith(UnhandledPrefix, StringComparison.Ordinal) ? line[UnhandledPrefix.Length..] : line;
    }
}
