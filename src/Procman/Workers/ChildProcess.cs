using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;
using Procman.Arbitration;
using Procman.Native;
using Procman.Protocol;

namespace Procman.Workers;

/// <summary>
/// A worker's process, started by procman itself rather than by <see cref="System.Diagnostics.Process"/>, so
/// that its real wait status is known: an exit code and a killing signal are reported apart.
/// </summary>
internal sealed class ChildProcess
{
    // The kernel's table of a process's children is process-wide, and so is this list of the ones procman
    // waits for: the orphan reaper of a PID-1 procman must leave them to their own waiting threads.
    private static readonly Lock Spawning = new();
    private static readonly HashSet<int> Waited = [];

    private ChildProcess(int id, StreamReader output, StreamReader error)
    {
        Id = id;
        // Read before anything can reap the child, so that the pid is still this child's.
        StartTime = ReadStartTime(id);
        StandardOutput = output;
        StandardError = error;
        var exited = new TaskCompletionSource<WorkerExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        // waitid blocks: one thread per child, for the life of the child.
        new Thread(() =>
        {
            var exit = PosixSpawn.Wait(id) is var (code, signal, dumped) ? new WorkerExit(code, signal, dumped) : WorkerExit.Unknown;
            lock (Spawning)
            {
                Waited.Remove(id);
            }
            exited.SetResult(exit);
        })
        {
            IsBackground = true,
            Name = "procman wait",
        }.Start();
        Exited = exited.Task;
    }

    public int Id { get; }

    /// <summary>The child's start time in clock ticks since boot, as the runtime names its files after it; null if unknown.</summary>
    public string? StartTime { get; }

    /// <summary>The child's stdout; whoever reads it owns and closes it.</summary>
    public StreamReader StandardOutput { get; }

    public StreamReader StandardError { get; }

    /// <summary>Completes once the child has exited and been reaped.</summary>
    public Task<WorkerExit> Exited { get; }

    /// <summary>Starts a program with stdin on /dev/null and its stdout and stderr on pipes to procman.</summary>
    /// <param name="priority">Start it at this lower CPU priority (boot_nice).</param>
    /// <exception cref="IOException">It could not be started.</exception>
    public static ChildProcess Start(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string directory, BootPriority? priority = null)
    {
        var output = PosixSpawn.CreatePipe();
        var error = PosixSpawn.CreatePipe();
        int pid;
        try
        {
            lock (Spawning)
            {
                pid = PosixSpawn.Start(file, arguments, environment, directory, output.Write, error.Write, priority?.Boot);
                Waited.Add(pid);
            }
        }
        catch
        {
            Libc.Close(output.Read);
            Libc.Close(error.Read);
            throw;
        }
        finally
        {
            // The child has its copies; procman's would keep the pipes open after the child is gone.
            Libc.Close(output.Write);
            Libc.Close(error.Write);
        }
        return new ChildProcess(pid, Reader(output.Read), Reader(error.Read));
    }

    /// <summary>
    /// Starts a program with stdin on /dev/null and procman's own stdout and stderr (a new master on SIGUSR2, which
    /// logs where this one does); <see cref="StandardOutput"/> and <see cref="StandardError"/> are empty.
    /// </summary>
    /// <exception cref="IOException">It could not be started.</exception>
    public static ChildProcess StartSharingOutput(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string directory)
    {
        int pid;
        lock (Spawning)
        {
            pid = PosixSpawn.Start(file, arguments, environment, directory, 1, 2);
            Waited.Add(pid);
        }
        return new ChildProcess(pid, StreamReader.Null, StreamReader.Null);
    }

    /// <summary>Whether procman started <paramref name="pid"/> and a thread of its own waits for it.</summary>
    /// <param name="reap">Called under the same lock when it is not, so that no spawn can slip in between.</param>
    public static void UnlessWaited(int pid, Action<int> reap)
    {
        lock (Spawning)
        {
            if (!Waited.Contains(pid))
            {
                reap(pid);
            }
        }
    }

    private static string? ReadStartTime(int pid)
    {
        try
        {
            return RuntimeFiles.StartTime(File.ReadAllText($"/proc/{pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/stat"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static StreamReader Reader(int fd) => new(new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true)));
}
