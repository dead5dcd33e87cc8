using Procman.Native;
using Procman.Protocol;

namespace Procman.Logging;

/// <summary>
/// The access log file as the workers need it when they run as another user: the master creates it and gives it to
/// that user and group, at start, for each reload's plan and before each SIGUSR1 reaches the workers, as Gunicorn
/// chowns its log files. The workers open and write it; the master never writes a line to it.
/// </summary>
/// <remarks>
/// Given again on SIGUSR1 because logrotate's <c>create</c> (or a script) may have put a root-owned file at the path,
/// and a removed one is created: the workers could not create a file in a directory only root may write.
/// </remarks>
internal static class AccessLogFile
{
    /// <summary>Creates the file if it is missing and gives it to <paramref name="owner"/>; nothing for stdout, no log, or no owner.</summary>
    /// <exception cref="ProcmanException">The file cannot be created or given.</exception>
    public static void Prepare(string? path, WorkerCredentials? owner)
    {
        if (path is null or "-" || owner is null)
        {
            return;
        }
        try
        {
            using var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            Libc.ChangeOwner(file, path, owner.UserId, owner.GroupId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProcmanException($"the access log {path} cannot be given to the workers' user (uid {owner.UserId}): {ex.Message}; make its directory writable by root, or set accesslog elsewhere", ExitCodes.UsageError);
        }
    }

    /// <summary>The same, when a SIGUSR1 arrives: a failure is left to the workers, whose reopen warns and goes on.</summary>
    public static void PrepareForReopen(string? path, WorkerCredentials? owner)
    {
        try
        {
            Prepare(path, owner);
        }
        catch (ProcmanException)
        {
        }
    }
}
