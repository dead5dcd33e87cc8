namespace Procman.Control;

/// <summary>Why a worker was replaced: the label values of procman_worker_restarts_total.</summary>
internal static class RestartReason
{
    public const string Crash = "crash";
    public const string Hung = "hung";
    public const string Boot = "boot";
    public const string Memory = "memory";
    public const string Requests = "requests";
    public const string Lifetime = "lifetime";
    public const string Recycle = "recycle";
    public const string Reload = "reload";

    public static readonly IReadOnlyList<string> All = [Crash, Hung, Boot, Memory, Requests, Lifetime, Recycle, Reload];
}
