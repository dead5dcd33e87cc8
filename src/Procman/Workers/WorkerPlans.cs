using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Listeners;

namespace Procman.Workers;

/// <summary>Worker plans backed by real listening sockets and real processes.</summary>
/// <remarks>Only the arbiter loop calls it, so it needs no lock.</remarks>
internal sealed class WorkerPlans : IWorkerPlans, IDisposable
{
    private readonly Func<ProcmanOptions> _load;
    private readonly ChannelWriter<ArbiterEvent> _events;
    private readonly IEnvironment _environment;
    private readonly ILoggerFactory _loggers;
    private readonly WorkerOutput _output;
    private readonly Dictionary<WorkerPlan, ListenerSet> _listeners = [];

    /// <param name="load">Reads the configuration again; throws <see cref="ProcmanException"/> when it is invalid.</param>
    public WorkerPlans(ProcmanOptions initial, ListenerSet listeners, Func<ProcmanOptions> load, ChannelWriter<ArbiterEvent> events, IEnvironment environment, ILoggerFactory loggers)
    {
        _load = load;
        _output = new WorkerOutput(initial.CaptureOutput, loggers.CreateLogger<WorkerOutput>());
        _events = events;
        _environment = environment;
        _loggers = loggers;
        Current = CreatePlan(initial, listeners);
    }

    public WorkerPlan Current { get; private set; }

    public ListenerSet CurrentListeners => _listeners[Current];

    public WorkerPlan? Prepare(out string? error)
    {
        try
        {
            var options = _load();
            var listeners = CurrentListeners.Rebind(options.Binds, options.Backlog, options.Umask);
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

    private WorkerPlan CreatePlan(ProcmanOptions options, ListenerSet listeners)
    {
        var launcher = new ProcessWorkerLauncher(options, listeners, _events, _environment, _output, _loggers.CreateLogger<ProcessWorkerLauncher>());
        var plan = new WorkerPlan(options, launcher);
        _listeners[plan] = listeners;
        return plan;
    }
}
