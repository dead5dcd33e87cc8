using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Procman.Arbitration;

namespace Procman.Diagnostics;

/// <summary>
/// Writes a hung worker's dump through the .NET diagnostics IPC (the runtime's own createdump), with a
/// note beside it saying why. The IPC is served by a native thread of the runtime, so it answers even
/// when every thread-pool thread of the worker is blocked.
/// </summary>
internal sealed class DiagnosticsDumpWriter(TimeProvider time) : IDumpWriter
{
    public async Task<string> WriteAsync(int pid, int slot, string directory, string reason, CancellationToken cancellationToken)
    {
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.GetFullPath(Path.Combine(directory, $"procman-worker{slot}-{pid}-{stamp}.dmp"));
        await File.WriteAllTextAsync(
            Path.ChangeExtension(path, ".txt"),
            $"worker {slot} (pid {pid}) was {reason}.\nRead the dump with: dotnet-dump analyze {path}, then clrstack -all, threadpool, syncblk\n",
            cancellationToken).ConfigureAwait(false);
        // A normal dump holds every thread's stack and enough of the runtime to walk managed frames,
        // without the whole heap: it stays small and quick to write.
        await new DiagnosticsClient(pid).WriteDumpAsync(DumpType.Normal, path, logDumpGeneration: false, cancellationToken).ConfigureAwait(false);
        return path;
    }
}
