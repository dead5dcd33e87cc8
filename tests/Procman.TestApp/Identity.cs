using System.Runtime.CompilerServices;

/// <summary>
/// The ids this process runs as, from /proc/self/status, recorded to TESTAPP_IDS_FILE by the app's earliest code:
/// its module initializer, its static constructor and the first line of Main, each process to a file of its own
/// (TESTAPP_IDS_FILE.PID: .NET appends by seeking to the end, so two workers appending to one file can write over
/// each other's lines). procman's tests read them to show that none of the app's code runs as root when the workers
/// run as another user.
/// </summary>
internal static class Identity
{
    /// <summary>"uid=N gid=N groups=A,B": the effective uid and gid and the supplementary groups.</summary>
    public static string Current()
    {
        string Field(string name, int column)
        {
            var line = File.ReadLines("/proc/self/status").First(line => line.StartsWith(name + ":", StringComparison.Ordinal));
            var values = line[(name.Length + 1)..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return column < 0 ? string.Join(',', values) : values[column];
        }
        return $"uid={Field("Uid", 1)} gid={Field("Gid", 1)} groups={Field("Groups", -1)}";
    }

    public static void Record(string where)
    {
        if (Environment.GetEnvironmentVariable("TESTAPP_IDS_FILE") is { Length: > 0 } file)
        {
            File.AppendAllText($"{file}.{Environment.ProcessId}", $"{Environment.ProcessId} {where} {Current()}\n");
        }
    }

    [ModuleInitializer]
    internal static void AtModuleLoad() => Record("module-initializer");
}

internal partial class Program
{
    static Program() => Identity.Record("static-constructor");
}
