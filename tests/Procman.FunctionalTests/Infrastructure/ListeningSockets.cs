using System.Globalization;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Reads the kernel's TCP tables: which sockets listen on a port, and which processes hold them.</summary>
internal static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>The inodes of the sockets in LISTEN state on <paramref name="port"/>, IPv4 and IPv6.</summary>
    public static IReadOnlySet<long> OnPort(int port)
    {
        var inodes = new HashSet<long>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var localPort = int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && fields[3] == ListenState)
                {
                    inodes.Add(long.Parse(fields[9], CultureInfo.InvariantCulture));
                }
            }
        }
        return inodes;
    }

    /// <summary>The inodes of the sockets a process holds open.</summary>
    public static IReadOnlySet<long> HeldBy(int pid)
    {
        var inodes = new HashSet<long>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(long.Parse(target["socket:[".Length..^1], CultureInfo.InvariantCulture));
            }
        }
        return inodes;
    }
}
