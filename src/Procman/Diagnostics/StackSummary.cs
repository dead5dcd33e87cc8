using System.Globalization;
using System.Text;

namespace Procman.Diagnostics;

/// <summary>Groups threads by identical managed stack, most common first, in a few readable lines.</summary>
internal static class StackSummary
{
    // The stacks an operator reads in a log line; the rest are counted.
    private const int MaxGroups = 12;

    private const string Separator = " <- ";

    public static string Format(IReadOnlyList<IReadOnlyList<string>> stacks)
    {
        var groups = stacks
            .Select(frames => frames.Count == 0 ? "(no managed frames)" : string.Join(Separator, frames))
            .GroupBy(stack => stack, StringComparer.Ordinal)
            .OrderByDescending(group => group.Count())
            .ThenBy(group => group.Key, StringComparer.Ordinal)
            .ToArray();
        var text = new StringBuilder();
        foreach (var group in groups.Take(MaxGroups))
        {
            var count = group.Count();
            text.Append(CultureInfo.InvariantCulture, $"    {count} thread{(count == 1 ? "" : "s")}: {group.Key}\n");
        }
        if (groups.Length > MaxGroups)
        {
            var rest = groups.Skip(MaxGroups).ToArray();
            text.Append(CultureInfo.InvariantCulture, $"    and {rest.Sum(group => group.Count())} more threads in {rest.Length} other stacks\n");
        }
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// <c>System.Threading.Thread</c> and <c>Sleep</c> become <c>Thread.Sleep</c>; <c>Program+&lt;&gt;c</c> becomes
    /// <c>Program.&lt;&gt;c</c>; generic arguments are left out.
    /// </summary>
    public static string FrameName(string typeName, string methodName)
    {
        var type = WithoutGenericArguments(typeName);
        // The namespace ends at the last '.' before any nested or compiler-generated part of the name.
        var end = type.IndexOfAny(['+', '<', '`']);
        var namespaceEnd = (end < 0 ? type : type[..end]).LastIndexOf('.');
        type = type[(namespaceEnd + 1)..].Replace('+', '.');
        return $"{type}.{WithoutGenericArguments(methodName)}";
    }

    private static string WithoutGenericArguments(string name)
    {
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? name : name[..bracket];
    }
}
