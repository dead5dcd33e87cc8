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
