using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Control;
using Procman.Listeners;
using Procman.Master;
using Procman.Native;
using Procman.Systemd;
using Procman.Workers;

namespace Procman.Upgrade;

/// <summary>
/// The old master's side of SIGUSR2: start the new master on the same sockets, hear its "ready", and let go of
/// the control socket and the admin endpoint for it.
/// </summary>
/// <remarks>
/// The two masters share a socketpair: the new one writes "ready" once its workers are all ready (and, under
/// systemd, once it has sent MAINPID= and READY=1); this one answers "go" once it has stopped serving the control
/// socket and the admin endpoint, which the new one then serves. Either side sees the other's death as EOF. The
/// arbiter loop calls every method here, one at a time, and it is the only place processes are started: an fd
/// made inheritable for the new master is inheritable only while it starts.
/// </remarks>
internal sealed partial class MasterUpgrade(
    MasterCommand command,
    string directory,
    IReadOnlyDictionary<string, string> environment,
    PidFile? pidFile,
    Func<ListenerSet> listeners,
    ControlServer? control,
    AdminEndpoint? admin,
    ChannelWriter<ArbiterEvent> events,
    ILogger<MasterUpgrade> logger) : IMasterUpgrade, IDisposable
{
    // Variables that name this process, or the fds systemd passed it: the new master gets the sockets through
    // PROCMAN_FDS instead, and the watchdog is its own once it is the main process.
    private static readonly string[] NotPassedOn = [SystemdEnvironment.ListenFds, SystemdEnvironment.ListenPid, SystemdEnvironment.ListenFdNames, SystemdEnvironment.WatchdogPid];

    private Socket? _channel;
    private ChildProcess? _newMaster;

    public string? Obstacle => Environment.ProcessId == 1
        ? "procman is PID 1 (a container's init): the container would end when this master exits; replace the container (a rolling restart) to upgrade procman, or send SIGHUP to reload the app"
        : null;

    public int Start()
    {
        var sockets = listeners().Listeners;
        var passed = sockets.Select(listener => (Fd: Listener.FdOf(listener.Socket), listener.Address)).ToArray();
        var (ours, theirs) = Libc.CreateSocketPair();
        // Inheritable only while the new master starts: a reuse_port anchor, the control socket and the admin socket
        // are close-on-exec for every worker. Shared listeners are inheritable for the whole run already.
        var perSlot = sockets.Where(listener => listener.PerSlot).ToArray();
        int[] slotFds = [.. perSlot.SelectMany(listener => listener.SlotSockets.Values).Select(Listener.FdOf)];
        int[] opened = [theirs, .. perSlot.Select(listener => Listener.FdOf(listener.Socket)), .. slotFds, .. control is null ? [] : new[] { control.Fd }, .. admin is null ? [] : new[] { admin.Fd }];
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var name in NotPassedOn.Concat(UpgradeEnvironment.MasterOnly))
        {
            variables.Remove(name);
        }
        variables[UpgradeEnvironment.ListenerFds] = string.Join(',', passed.Select(socket => $"{socket.Fd.ToString(CultureInfo.InvariantCulture)}={Uri.EscapeDataString(socket.Address.ToString())}"));
        if (slotFds.Length > 0)
        {
            variables[UpgradeEnvironment.SlotFds] = string.Join(',', perSlot.Select(listener => string.Join(':',
                [Listener.FdOf(listener.Socket).ToString(CultureInfo.InvariantCulture),
                 .. listener.SlotSockets.Select(pair => FormattableString.Invariant($"{pair.Key}={Listener.FdOf(pair.Value)}"))])));
        }
        variables[UpgradeEnvironment.ChannelFd] = theirs.ToString(CultureInfo.InvariantCulture);
        variables[UpgradeEnvironment.OldMasterPid] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (control is not null)
        {
            variables[UpgradeEnvironment.ControlFd] = control.Fd.ToString(CultureInfo.InvariantCulture);
        }
        if (admin is not null)
        {
            variables[UpgradeEnvironment.AdminFd] = admin.Fd.ToString(CultureInfo.InvariantCulture);
        }

        var movedAside = false;
        try
        {
            if (pidFile is not null)
            {
                pidFile.MoveAside();
                movedAside = true;
            }
            foreach (var fd in opened)
            {
                Libc.SetInheritable(fd, inheritable: true);
            }
            _newMaster = ChildProcess.StartSharingOutput(command.File, command.Arguments, variables, directory);
        }
        catch
        {
            Libc.Close(ours);
            if (movedAside)
            {
                pidFile!.Restore();
            }
            throw;
        }
        finally
        {
            foreach (var fd in opened.Skip(1))
            {
                Libc.SetInheritable(fd, inheritable: false);
            }
            // The new master has its copy; holding this end would hide its death (no EOF).
            Libc.Close(theirs);
        }
        _channel?.Dispose();
        _channel = new Socket(new SafeSocketHandle(ours, ownsHandle: true));
        var pid = _newMaster.Id;
        _ = ListenAsync(_channel, pid);
        var exited = _newMaster.Exited;
        _ = exited.ContinueWith(task => events.TryWrite(new ArbiterEvent.NewMasterExited(pid, task.Result)), TaskScheduler.Default);
        return pid;
    }

    public void HandOver()
    {
        // Closed here without a shutdown(2) and without removing a file: the sockets are the new master's too.
        listeners().HandOver();
        control?.HandOver();
        admin?.HandOver();
        try
        {
            _channel?.Send("go\n"u8);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The new master is gone already; it sees EOF as "go" anyway, and its exit is no business of this one's.
            LogNoGo(ex.Message);
        }
    }

    public void Abandon()
    {
        pidFile?.Restore();
        Send(Native.Signal.Term);
    }

    public void Kill() => Send(Native.Signal.Kill);

    public void Dispose() => _channel?.Dispose();

    private void Send(int signal)
    {
        if (_newMaster is { Exited.IsCompleted: false } master)
        {
            Libc.Kill(master.Id, signal);
        }
    }

    private async Task ListenAsync(Socket channel, int pid)
    {
        var buffer = new byte[256];
        var line = new StringBuilder();
        try
        {
            while (await channel.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) is var read and > 0)
            {
                line.Append(Encoding.ASCII.GetString(buffer, 0, read));
                if (line.ToString().Contains("ready\n", StringComparison.Ordinal))
                {
                    events.TryWrite(new ArbiterEvent.NewMasterReady(pid));
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Its exit, reported by its own wait, says what happened.
        }
    }

    [LoggerMessage(EventId = 137, Level = LogLevel.Warning, Message = "Upgrade: cannot tell the new master to take over: {Error}")]
    private partial void LogNoGo(string error);
}
