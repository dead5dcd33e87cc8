using System.Globalization;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Reads /proc: which processes exist and who their parent is.</summary>
internal static class ProcessTable
{
    public static bool IsAlive(int pid)
    {
        // A zombie still has a /proc entry; it is dead for every purpose here.
        var stat = ReadStat(pid);
        return stat is not null && stat.Value.State != 'Z' && stat.Value.State != 'X';
    }

    public static int? ParentOf(int pid) => ReadStat(pid)?.ParentPid;

    public static IReadOnlyList<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { } stat && stat.ParentPid == parent && stat.State != 'Z')
            {
                children.Add(pid);
            }
        }
        return children;
    }

    /// <summary>The children of a process that have exited and were never reaped.</summary>
    public static IReadOnlyList<int> ZombieChildrenOf(int parent)
        => [.. Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadStat(pid) is { State: 'Z' } stat && stat.ParentPid == parent)];

    /// <summary>The process's command name (comm), or null when it is gone.</summary>
    public static string? CommandOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// What a process that does not react is doing, for a test's failure message: its state and signal masks, and
    /// each thread's name, state and kernel wait channel.
    /// </summary>
    public static string Describe(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status")
                .Where(line => line.StartsWith("State:", StringComparison.Ordinal) || line.StartsWith("Sig", StringComparison.Ordinal) || line.StartsWith("ShdPnd:", StringComparison.Ordinal))
                .Select(line => line.Replace('\t', ' '));
            var threads = Directory.EnumerateDirectories($"/proc/{pid}/task").Select(task =>
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                return $"{name} {stat[stat.LastIndexOf(')') + 2]} {File.ReadAllText(Path.Combine(task, "wchan"))}";
            });
            return $"process {pid}: {string.Join("; ", status)}; threads: {string.Join(", ", threads.GroupBy(t => t).Select(g => g.Count() > 1 ? $"{g.Key} x{g.Count()}" : g.Key))}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"process {pid}: gone";
        }
    }

    private static (char State, int ParentPid)? ReadStat(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
