using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Procman.Arbitration;
using Procman.Native;

namespace Procman.Diagnostics;

/// <summary>
/// Reads a hung worker's managed stacks: the worker's runtime writes a dump of itself when asked through the
/// .NET diagnostics IPC, and ClrMD reads the stacks from that dump. The dump is kept in dump_dir when one is
/// set, with a note beside it saying why; otherwise it is deleted once read.
/// </summary>
/// <remarks>
/// The diagnostics IPC is served by a native thread of the runtime, so it answers while every thread-pool
/// thread is blocked; the dump is written by the runtime's createdump, which the worker lets trace it. The
/// master does not attach to the worker itself: it is the worker's parent, and the stops of a traced child
/// would reach the master's own process bookkeeping as if the child had changed state. A worker that does not
/// answer (stopped, or started with DOTNET_EnableDiagnostics=0) gives no stacks; the caller bounds the wait.
/// createdump runs as the worker's user: for a worker that switched to another user (procman's user setting), it
/// writes into a directory of its own in TMPDIR that the master gives it, and the master moves the dump from there
/// to dump_dir, which that user need neither reach nor write.
/// </remarks>
internal sealed class WorkerDiagnostics(TimeProvider time) : IWorkerDiagnostics
{
    public async Task<WorkerDiagnosis> DiagnoseAsync(int pid, int slot, string reason, string? dumpDirectory, CancellationToken cancellationToken)
    {
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var name = $"procman-worker{slot}-{pid}-{stamp}.dmp";
        var path = dumpDirectory is null ? Path.Combine(Path.GetTempPath(), name) : Path.GetFullPath(Path.Combine(dumpDirectory, name));
        string? staging = null;
        try
        {
            if (dumpDirectory is not null)
            {
                await File.WriteAllTextAsync(
                    Path.ChangeExtension(path, ".txt"),
                    $"worker {slot} (pid {pid}) was {reason}.\nRead the dump with: dotnet-dump analyze {path}, then clrstack -all, threadpool, syncblk\n",
                    cancellationToken).ConfigureAwait(false);
            }
            staging = StagingFor(pid);
            var written = staging is null ? path : Path.Combine(staging, name);
            // A normal dump holds every thread's stack and enough of the runtime to walk managed frames,
            // without the whole heap: it stays small and quick to write.
            await new DiagnosticsClient(pid).WriteDumpAsync(DumpType.Normal, written, logDumpGeneration: false, cancellationToken).ConfigureAwait(false);
            if (new FileInfo(written) is not { Exists: true, Length: > 0 })
            {
                // The runtime reports success even when createdump could not create its file.
                throw new IOException($"createdump wrote no dump to {written}; the worker's output says why");
            }
            if (written != path)
            {
                File.Move(written, path, overwrite: true);
            }
            // ClrMD reads synchronously; run it off the caller's thread so that the bound still holds.
            var stacks = await Task.Run(() => ManagedStacks.Read(path), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            return new WorkerDiagnosis(StackSummary.Format(stacks), null, dumpDirectory is null ? null : path);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var error = ex is OperationCanceledException ? "the worker did not answer in time" : ex.Message;
            return new WorkerDiagnosis(null, error, dumpDirectory is not null && File.Exists(path) ? path : null);
        }
        finally
        {
            if (dumpDirectory is null)
            {
                File.Delete(path);
            }
            if (staging is not null)
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>For a worker whose effective ids are not the master's: a new directory in TMPDIR, mode 0700, given to it.</summary>
    private static string? StagingFor(int pid)
    {
        if (EffectiveIds(pid) is not var (user, group) || (user == Libc.GetEffectiveUserId() && group == Libc.GetEffectiveGroupId()))
        {
            return null;
        }
        var staging = Directory.CreateTempSubdirectory("procman-dump-").FullName;
        Libc.ChangeOwner(staging, user, group);
        return staging;
    }

    /// <summary>The effective uid and gid of a process, from the second column of /proc/PID/status's Uid: and Gid: lines.</summary>
    private static (uint User, uint Group)? EffectiveIds(int pid)
    {
        uint? user = null;
        uint? group = null;
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 2 && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                user = fields[0] == "Uid:" ? id : user;
                group = fields[0] == "Gid:" ? id : group;
            }
        }
        return user is { } u && group is { } g ? (u, g) : null;
    }
}
