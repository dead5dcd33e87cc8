using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Procman.Arbitration;

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
/// </remarks>
internal sealed class WorkerDiagnostics(TimeProvider time) : IWorkerDiagnostics
{
    public async Task<WorkerDiagnosis> DiagnoseAsync(int pid, int slot, string reason, string? dumpDirectory, CancellationToken cancellationToken)
    {
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var name = $"procman-worker{slot}-{pid}-{stamp}.dmp";
        var path = dumpDirectory is null ? Path.Combine(Path.GetTempPath(), name) : Path.GetFullPath(Path.Combine(dumpDirectory, name));
        try
        {
            if (dumpDirectory is not null)
            {
                await File.WriteAllTextAsync(
                    Path.ChangeExtension(path, ".txt"),
                    $"worker {slot} (pid {pid}) was {reason}.\nRead the dump with: dotnet-dump analyze {path}, then clrstack -all, threadpool, syncblk\n",
                    cancellationToken).ConfigureAwait(false);
            }
            // A normal dump holds every thread's stack and enough of the runtime to walk managed frames,
            // without the whole heap: it stays small and quick to write.
            await new DiagnosticsClient(pid).WriteDumpAsync(DumpType.Normal, path, logDumpGeneration: false, cancellationToken).ConfigureAwait(false);
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
        }
    }
}
