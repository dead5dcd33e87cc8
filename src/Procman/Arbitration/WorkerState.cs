namespace Procman.Arbitration;

/// <summary>The life of one worker process. Each transition is logged once, with the worker's slot, pid and reason.</summary>
internal enum WorkerState
{
    /// <summary>Started; not yet listening.</summary>
    Starting,

    /// <summary>Kestrel is listening on the shared sockets.</summary>
    Ready,

    /// <summary>Retiring: no longer accepting, finishing its connections, then exiting.</summary>
    Draining,

    /// <summary>The process has ended.</summary>
    Exited,
}
