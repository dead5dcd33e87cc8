using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Procman.Arbitration;
using Procman.Native;
using Procman.Protocol;

namespace Procman.Workers;

/// <summary>
/// A running worker: its process, the master's end of its channel, and the pumps that copy its output
/// to procman's own stdout/stderr with the worker's name in front of every line.
/// </summary>
internal sealed class WorkerProcess : IWorkerHandle
{
    private static readonly TimeSpan OutputDrainBound = TimeSpan.FromSeconds(1);

    private readonly ChildProcess _process;
    private readonly Socket _channel;
    private readonly object _sendLock = new();
    private readonly OutputTail _tail = new(40);

    // stderr alone: where the runtime prints an unhandled exception, for the crash diagnosis.
    private readonly OutputTail _errors = new(20);

    private readonly BootPriority? _bootPriority;
    private readonly string _tempDirectory;

    /// <param name="tempDirectory">The worker's TMPDIR, where its runtime keeps its diagnostics socket and debugger pipes.</param>
    public WorkerProcess(long key, int slot, ChildProcess process, Socket channel, ChannelWriter<ArbiterEvent> events, HeartbeatInbox heartbeats, WorkerOutput output, string tempDirectory, BootPriority? bootPriority = null)
    {
        _process = process;
        _tempDirectory = tempDirectory;
        _bootPriority = bootPriority;
        _channel = channel;
        Pid = process.Id;
        var stdout = Pump(process.StandardOutput, null, line => output.Write(slot, Pid, isError: false, line));
        var stderr = Pump(process.StandardError, _errors, line => output.Write(slot, Pid, isError: true, line));
        new Thread(() => ReadChannel(key, events, heartbeats)) { IsBackground = true, Name = "procman channel" }.Start();
        _ = WatchExitAsync(key, events, stdout, stderr);
    }

    public int Pid { get; }

    public void Drain(TimeSpan deadline)
    {
        if (!Send(new MasterMessage.Drain(deadline)))
        {
            Terminate();
        }
    }

    public void Share(int connections) => Send(new MasterMessage.Share(connections));

    public void Terminate() => Libc.Kill(Pid, Signal.Term);

    public void Kill() => Libc.Kill(Pid, Signal.Kill);

    public void ReopenLogs() => Libc.Kill(Pid, Signal.Usr1);

    public bool RestorePriority() => _bootPriority?.Restore(Pid) ?? true;

    /// <summary>Writes one message to the worker's channel; false when the channel is already closed.</summary>
    private bool Send(MasterMessage message)
    {
        var bytes = Encoding.ASCII.GetBytes(ChannelCodec.Encode(message));
        lock (_sendLock)
        {
            try
            {
                _channel.Send(bytes);
                return true;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
    }

    /// <summary>
    /// The runtime removes its files when it exits; a worker killed by a signal (a hang's SIGKILL, the OOM killer, an
    /// abort) leaves them, and a host that replaces such workers for months would collect thousands in TMPDIR. Named
    /// after the pid and the start time, they cannot be another process's.
    /// </summary>
    private void RemoveRuntimeFiles()
    {
        if (_process.StartTime is not { } startTime)
        {
            return;
        }
        foreach (var name in RuntimeFiles.Names(Pid, startTime))
        {
            try
            {
                File.Delete(Path.Combine(_tempDirectory, name));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's TMPDIR or a read-only one: the files stay, as they would without procman.
            }
        }
    }

    private Task Pump(StreamReader source, OutputTail? own, Action<string> write) => Task.Run(async () =>
    {
        // The pump owns and closes its pipe.
        using var reader = source;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            _tail.Add(line);
            own?.Add(line);
            write(line);
        }
    });

    /// <summary>Reads the worker's messages until its channel closes, on a thread of its own.</summary>
    /// <remarks>
    /// A blocking read on a thread of its own rather than an asynchronous one: each heartbeat then wakes this thread
    /// alone, where an asynchronous read woke the sockets' event thread and then a thread-pool thread, once per
    /// worker per second in an idle master. Heartbeats go to the inbox, which does not wake the arbiter loop.
    /// </remarks>
    private void ReadChannel(long key, ChannelWriter<ArbiterEvent> events, HeartbeatInbox heartbeats)
    {
        var buffer = new byte[512];
        var pending = new StringBuilder();
        try
        {
            int read;
            while ((read = _channel.Receive(buffer)) > 0)
            {
                foreach (var line in ChannelCodec.TakeLines(pending, buffer, read))
                {
                    switch (ChannelCodec.Decode(line))
                    {
                        case WorkerMessage.Heartbeat heartbeat:
                            heartbeats.Post(key, heartbeat);
                            break;
                        case WorkerMessage message:
                            events.TryWrite(new ArbiterEvent.WorkerMessageReceived(key, message));
                            break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The channel closes when the worker exits or is disposed; its exit is reported by WatchExitAsync.
        }
    }

    private async Task WatchExitAsync(long key, ChannelWriter<ArbiterEvent> events, Task stdout, Task stderr)
    {
        var exit = await _process.Exited.ConfigureAwait(false);
        if (exit.Signal is not null)
        {
            RemoveRuntimeFiles();
        }
        try
        {
            // Let the pumps copy the worker's last words before the exit is reported. Bounded: a child
            // the app started may hold the pipes open long after the worker itself is gone.
            await Task.WhenAll(stdout, stderr).WaitAsync(OutputDrainBound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        events.TryWrite(new ArbiterEvent.WorkerExited(key, exit, _tail.Snapshot(), _errors.Snapshot()));
    }
}
