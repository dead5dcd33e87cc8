namespace Procman.Arbitration;

/// <summary>A process's memory as /proc/PID/smaps_rollup tells it: RSS counts every shared page in full, PSS a fair part of it.</summary>
internal readonly record struct ProcessMemory(long RssBytes, long PssBytes);
