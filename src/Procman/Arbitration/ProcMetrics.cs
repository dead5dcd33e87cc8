using System.Globalization;

namespace Procman.Arbitration;

/// <summary>Reads a process's metrics from /proc.</summary>
internal sealed class ProcMetrics : IProcessMetrics
{
    public long? ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                // "VmRSS:     91234 kB"
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
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
