using System.Globalization;

namespace Procman.Arbitration;

/// <summary>Reads a process's metrics from /proc.</summary>
internal sealed class ProcMetrics : IProcessMetrics
{
    public long? ResidentBytes(int pid) => Kilobytes($"/proc/{pid}/status", "VmRSS:") is { } rss ? rss["VmRSS:"] : null;

    public ProcessMemory? Memory(int pid)
        => Kilobytes($"/proc/{pid}/smaps_rollup", "Rss:", "Pss:") is { } values ? new ProcessMemory(values["Rss:"], values["Pss:"]) : null;

    /// <summary>The values of lines such as "VmRSS:     91234 kB", in bytes; null unless every key was found.</summary>
    private static Dictionary<string, long>? Kilobytes(string path, params string[] keys)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (keys.FirstOrDefault(key => line.StartsWith(key, StringComparison.Ordinal)) is { } key && !found.ContainsKey(key))
                {
                    found[key] = long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return found.Count == keys.Length ? found : null;
    }

    public char? State(int pid)
    {
        try
        {
            // "PID (COMM) S ...": the name may hold spaces and parentheses, so the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var end = stat.LastIndexOf(')');
            return end >= 0 && end + 2 < stat.Length ? stat[end + 2] : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
