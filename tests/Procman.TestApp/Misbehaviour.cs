using System.Diagnostics;
using System.Runtime.CompilerServices;

/// <summary>
/// The ways real apps hang or strain a worker, for the health tests. Named methods, so that the stacks procman
/// logs before killing a hung worker can be recognised in a test.
/// </summary>
internal static class Misbehaviour
{
    private static readonly object AccountA = new();
    private static readonly object AccountB = new();
    private static readonly List<object> Retained = [];

    /// <summary>Work items that never finish: each holds a pool thread for good, as a blocking call without a timeout does.</summary>
    public static void QueueBlockingWorkItems(int count)
    {
        for (var i = 0; i < count; i++)
        {
            ThreadPool.QueueUserWorkItem(_ => BlockForever());
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BlockForever() => Thread.Sleep(Timeout.Infinite);

    /// <summary>Sync over async: the handler blocks its pool thread on the result of I/O whose completion needs the pool.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string FetchBlocking(HttpClient client, string url) => client.GetStringAsync(url).Result;

    /// <summary>
    /// Takes the two locks in the order the request asks for, pausing between them: two requests in opposite
    /// orders deadlock, and every later request waits behind them for ever.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Transfer(bool fromA)
    {
        var (first, second) = fromA ? (AccountA, AccountB) : (AccountB, AccountA);
        lock (first)
        {
            Thread.Sleep(50);
            lock (second)
            {
                return "transferred";
            }
        }
    }

    /// <summary>Keeps <paramref name="megabytes"/> of small linked objects alive and forces a full compacting GC over them.</summary>
    public static string LongGc(int megabytes)
    {
        // 64-byte objects, each pointing at the previous one: the GC must trace and move every one of them.
        object?[]? previous = null;
        for (long allocated = 0; allocated < megabytes * 1024L * 1024; allocated += 64)
        {
            previous = new object?[] { previous, null, null, null, null };
            if (allocated % (1024 * 1024) == 0)
            {
                Retained.Add(previous);
            }
        }
        Retained.Add(previous!);
        var started = Stopwatch.GetTimestamp();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return $"gc of {megabytes} MB took {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms\n";
    }
}
