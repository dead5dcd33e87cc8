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
}
