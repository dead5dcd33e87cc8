using Microsoft.Diagnostics.Runtime;

namespace Procman.Diagnostics;

/// <summary>Reads the managed stack of every thread in a dump, with ClrMD.</summary>
internal static class ManagedStacks
{
    // Enough frames to reach the app's own code from a blocking call; a stack is grouped by these alone.
    private const int MaxFrames = 12;

    /// <summary>Each thread's managed frames, innermost first, as <c>Type.Method</c>.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Read(string dumpPath)
    {
        using var target = DataTarget.LoadDump(dumpPath);
        var clr = target.ClrVersions.FirstOrDefault() ?? throw new InvalidOperationException("the dump holds no .NET runtime");
        // The DAC that reads the runtime's structures ships beside the runtime the worker ran on; ClrMD's own
        // search looks for a signed copy on a symbol server, which Linux does not use.
        var dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "", "libmscordaccore.so");
        using var runtime = File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
        return runtime.Threads.Select(thread => Frames(thread.EnumerateStackTrace())).ToArray();
    }

    private static IReadOnlyList<string> Frames(IEnumerable<ClrStackFrame> stack)
    {
        var frames = new List<string>();
        foreach (var frame in stack)
        {
            if (frame.Method is not { } method)
            {
                continue;
            }
            // A P/Invoke in progress shows as a transition frame named after the method and the method itself:
            // one frame to a reader, and to the grouping.
            var name = StackSummary.FrameName(method.Type?.Name ?? "?", method.Name ?? "?");
            if (frames.Count > 0 && frames[^1] == name)
            {
                continue;
            }
            frames.Add(name);
            if (frames.Count == MaxFrames)
            {
                break;
            }
        }
        return frames;
    }
}
