using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Listeners;
using Procman.Logging;

namespace Procman.Workers;

/// <summary>Worker plans backed by real listening sockets and real processes.</summary>
/// <remarks>Only the arbiter loop calls it, so it needs no lock.</remarks>
internal sealed partial class WorkerPlans : IWorkerPlans, IDisposable
{
    private const string MigrateRequestsSetting = "/proc/sys/net/ipv4/tcp_migrate_req";

    private readonly Func<ProcmanOptions> _load;
    private readonly ChannelWriter<ArbiterEvent> _events;
    private readonly HeartbeatInbox _heartbeats;
    private readonly IEnvironment _environment;
    private readonly ILoggerFactory _loggers;
    private readonly WorkerOutput _output;
    private readonly Dictionary<WorkerPlan, ListenerSet> _listeners = [];
    private readonly ILogger<WorkerPlans> _logger;

    /// <param name="load">Reads the configuration again; throws <see cref="ProcmanException"/> when it is invalid.</param>
    public WorkerPlans(ProcmanOptions initial, ListenerSet listeners, Func<ProcmanOptions> load, ChannelWriter<ArbiterEvent> events, HeartbeatInbox heartbeats, IEnvironment environment, WorkerOutput output, ILoggerFactory loggers)
    {
        _load = load;
        _output = output;
        _events = events;
        _heartbeats = heartbeats;
        _environment = environment;
        _loggers = loggers;
        _logger = loggers.CreateLogger<WorkerPlans>();
        Current = CreatePlan(initial, listeners);
    }

    public WorkerPlan Current { get; private set; }

    public ListenerSet CurrentListeners => _listeners[Current];

    public WorkerPlan? Prepare(out string? error)
    {
        try
        {
            var options = _load();
            var listeners = CurrentListeners.Rebind(options.Binds, options.Backlog, options.Umask, options.ReusePort, options.Identity?.Credentials);
            foreach (var gone in CurrentListeners.Listeners.Where(listener => !listener.SocketFileIntact && listeners.Listeners.Any(fresh => fresh.Address == listener.Address)))
            {
                LogSocketFileRecreated(gone.Display);
            }
            error = null;
            return CreatePlan(options, listeners);
        }
        catch (ProcmanException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    public void Commit(WorkerPlan plan)
    {
        // Old workers hold their own copies of the fds they inherited: closing the master's copy of an
        // address that is gone only stops new workers from getting it.
        CurrentListeners.DisposeExcept(_listeners[plan]);
        _listeners.Remove(Current);
        Current = plan;
        // The reload set the worker count again: the slots beyond it are gone.
        foreach (var slot in CurrentListeners.Listeners.SelectMany(listener => listener.Slots).Where(slot => slot > plan.Options.Workers).Distinct().ToArray())
        {
            Release(slot);
        }
    }

    public void Release(int slot)
    {
        if (!CurrentListeners.Listeners.Any(listener => listener.Slots.Contains(slot)))
        {
            return;
        }
        CurrentListeners.Release(slot);
        if (!MigratesRequests())
        {
            LogSlotSocketsClosed(slot);
        }
    }

    /// <summary>Whether the kernel hands the connections queued on a closing SO_REUSEPORT socket to another in its group.</summary>
    private static bool MigratesRequests()
    {
        try
        {
            return File.ReadAllText(MigrateRequestsSetting).Trim() != "0";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Abandon(WorkerPlan plan)
    {
        _listeners[plan].DisposeExcept(CurrentListeners);
        _listeners.Remove(plan);
    }

    public void Dispose()
    {
        foreach (var listeners in _listeners.Values)
        {
            listeners.Dispose();
        }
        _listeners.Clear();
    }

    [LoggerMessage(EventId = 71, Level = LogLevel.Warning, Message = "The socket file of {Address} was removed or replaced while procman ran, so no client could reach it: bound it again for the reload's workers")]
    private partial void LogSocketFileRecreated(string address);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "Worker slot {Slot} is gone: its sockets close when its last worker exits, and a connection still queued on them then is reset (set net.ipv4.tcp_migrate_req = 1 to hand such connections to the other workers)")]
    private partial void LogSlotSocketsClosed(int slot);

    /// <summary>Before SIGUSR1 reaches the workers: the access log is there, and theirs (see <see cref="AccessLogFile"/>).</summary>
    public void PrepareLogReopen() => AccessLogFile.PrepareForReopen(Current.Options.AccessLog, Current.Options.Identity?.Credentials);

    private WorkerPlan CreatePlan(ProcmanOptions options, ListenerSet listeners)
    {
        AccessLogFile.Prepare(options.AccessLog, options.Identity?.Credentials);
        var launcher = new ProcessWorkerLauncher(options, listeners, _events, _heartbeats, _environment, _output, _loggers.CreateLogger<ProcessWorkerLauncher>());
        var plan = new WorkerPlan(options, launcher);
        _listeners[plan] = listeners;
        return plan;
    }
}
