namespace Procman.Protocol;

/// <summary>
/// The files a .NET process keeps in its temporary directory while it runs: the diagnostics socket that
/// dotnet-counters, dotnet-trace and dotnet-dump connect to, and the debugger's transport pipes. The runtime
/// names them after the pid and the process's start time in clock ticks since boot (field 22 of
/// <c>/proc/PID/stat</c>), and removes them when it exits; a process killed by a signal leaves them behind.
/// </summary>
public static class RuntimeFiles
{
    /// <summary>The start time field of a <c>/proc/PID/stat</c> line, or null when the line is not one.</summary>
    /// <remarks>The command name, in parentheses, may hold spaces and parentheses itself: the fields are counted from its last ')'.</remarks>
    public static string? StartTime(string stat)
    {
        var end = stat.LastIndexOf(')');
        if (end < 0 || end + 2 > stat.Length)
        {
            return null;
        }
        // Fields 3 (the state) onwards; the start time is field 22.
        var fields = stat[(end + 2)..].Split(' ');
        return fields.Length > 19 && fields[19].Length > 0 && fields[19].All(char.IsAsciiDigit) ? fields[19] : null;
    }

    /// <summary>The names of the runtime's files of process <paramref name="pid"/> that started at <paramref name="startTime"/>.</summary>
    public static IReadOnlyList<string> Names(int pid, string startTime)
    {
        var key = FormattableString.Invariant($"{pid}-{startTime}");
        return [$"dotnet-diagnostic-{key}-socket", $"clr-debug-pipe-{key}-in", $"clr-debug-pipe-{key}-out"];
    }
}
