using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Control;
using Procman.Diagnostics;
using Procman.Listeners;
using Procman.Logging;
using Procman.Master;
using Procman.Native;
using Procman.Privileges;
using Procman.Signals;
using Procman.Systemd;
using Procman.Upgrade;
using Procman.Workers;
using Serilog.Extensions.Logging;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace Procman.Cli;

/// <summary>
/// Carries out <c>procman run</c>: resolve the settings, bind, and hand over to the arbiter. It is procman's
/// composition root: every part the master runs is built here, in order, and disposed in reverse.
/// </summary>
/// <remarks>
/// There is no Generic Host: its lifetime would compete with procman's own signal handling, and its shutdown
/// timeout could cut graceful_timeout short. The arbiter loop is the master's lifetime.
/// </remarks>
internal sealed partial class RunCommandHandler(IEnvironment environment, TimeProvider time)
{
    private readonly IUserDatabase _users = new SystemUserDatabase();

    // Captured before the master moves to chdir: a relative chdir read again on SIGHUP is relative to this.
    private readonly string _startDirectory = Environment.CurrentDirectory;

    public async Task<int> InvokeAsync(RunRequest request)
    {
        try
        {
            return await RunAsync(request);
        }
        catch (ProcmanException ex)
        {
            // A config file with several errors reports each on its own line.
            foreach (var line in ex.Message.Split('\n'))
            {
                await Console.Error.WriteLineAsync($"procman: error: {line}");
            }
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Whatever the checks above missed still reaches the operator as one line, not a stack trace.
            await Console.Error.WriteLineAsync($"procman: error: {ex.Message} ({ex.GetType().Name}); please report this with the command that caused it");
            return ExitCodes.InternalError;
        }
    }

    private async Task<int> RunAsync(RunRequest request)
    {
        var loader = new ConfigurationLoader(environment, RunCommand.ParseSettingArguments);
        var loaded = loader.Load(request.CommandLine);
        if (request.PrintConfig)
        {
            PrintWarnings(loaded.Warnings);
            PrintConfig(loaded.Values);
            return ExitCodes.Success;
        }
        if (string.IsNullOrWhiteSpace(request.AppPath))
        {
            throw new ProcmanException("no app given; usage: procman run MyApi.dll [options] [-- app arguments]", ExitCodes.UsageError);
        }

        var options = Resolve(loaded.Values, request);
        if (request.CheckConfig)
        {
            PrintWarnings(loaded.Warnings);
            await Console.Out.WriteLineAsync($"procman: configuration is valid: {options.Workers} worker(s) of {options.App.Path} on {string.Join(", ", options.Binds)}");
            return ExitCodes.Success;
        }

        // Every path in the options is absolute by now, resolved against chdir; the master moves there so that
        // the workers (and the app's own relative paths) start there. A config file read again on SIGHUP keeps
        // the path it was first found at.
        var configFile = loaded.ConfigFile;
        Directory.SetCurrentDirectory(options.Chdir);
        using var pidFile = options.PidFile is { } pidPath ? PidFile.Create(pidPath) : null;
        Native.Libc.SetThreadName(options.ProcName ?? "procman");

        InheritedDescriptors.Seal(options.Binds, environment);
        using var reaper = OrphanReaper.StartIfInit();
        // Started by a master on SIGUSR2: its sockets are this one's, never bound again.
        using var inherited = InheritedMaster.FromEnvironment(environment, Libc.GetParentProcessId());
        var handedOver = inherited?.AdoptListeners(options.Workers) ?? [];
        IReadOnlyList<Listener> activated = [.. SocketActivation.Adopt(environment, Environment.ProcessId), .. handedOver];
        var bindsConfigured = activated.Count == 0 || loaded.Values.SourceOf(Settings.Bind) != "default";
        options = WithActivation(options, bindsConfigured);
        using var listeners = ListenerSet.Bind(options.Binds, options.Backlog, options.Umask, options.ReusePort, activated, options.Identity?.Credentials);
        var events = Channel.CreateUnbounded<ArbiterEvent>(new UnboundedChannelOptions { SingleReader = true });
        var heartbeats = new HeartbeatInbox(time);
        using var signals = new SignalListener(events.Writer);

        using var logging = new MasterLogging(options.LogLevel, options.LogFormat, options.ErrorLog);
        using var loggers = new SerilogLoggerFactory(logging.Logger, dispose: false);
        var logger = loggers.CreateLogger<RunCommandHandler>();
        foreach (var warning in loaded.Warnings)
        {
            LogConfigurationWarning(logger, warning);
        }
        var systemdActivated = activated.Where(listener => !listener.Inherited).ToArray();
        if (systemdActivated.Length > 0)
        {
            LogSocketActivation(
                logger,
                string.Join(", ", systemdActivated.Select(listener => listener.Display)),
                bindsConfigured ? "each serves the configured bind at its address, and procman binds the others" : "they are the binds (none configured)");
        }
        if (options.Identity is { } identity)
        {
            LogWorkersIdentity(logger, identity.Description, Libc.GetEffectiveUserId());
        }
        inherited?.Listen(logger, handedOver);
        foreach (var listener in listeners.Listeners)
        {
            LogListening(logger, listener.Display, listener.PerSlot ? "a SO_REUSEPORT socket per worker" : "one shared accept queue", Environment.ProcessId);
            if (options.ReusePort && !listener.PerSlot)
            {
                LogConfigurationWarning(logger, $"reuse_port applies to TCP addresses only: the workers share one accept queue on {listener.Display}");
            }
        }

        // Read at start only, like the master's own log: a reload changes neither.
        var output = new WorkerOutput(options.CaptureOutput, options.LogFormat, loggers.CreateLogger<WorkerOutput>(), logging.Logger, time);
        using var plans = new WorkerPlans(options, listeners, () => WithActivation(Reload(request, configFile), bindsConfigured), events.Writer, heartbeats, environment, output, loggers);
        var metrics = new ProcMetrics();
        var diagnostics = new WorkerDiagnostics(time);

        // Read at start only, like the listeners' addresses: a reload changes neither.
        var master = new MasterControl(events.Writer, new SampledMemory(metrics, time), diagnostics);
        var controlPath = options.ControlSocketDisabled ? null : ControlSocketPath.Of(options, environment, Libc.GetEffectiveUserId(), Environment.ProcessId);
        var inheritedControl = inherited?.TakeControlSocket(controlPath);
        using var control = controlPath is null ? null
            : inheritedControl is not null ? ControlServer.Adopt(controlPath, inheritedControl, master, loggers.CreateLogger<ControlServer>(), inherited!.TakenOver)
            : ControlServer.Open(
                controlPath,
                master,
                loggers.CreateLogger<ControlServer>(),
                inRuntimeDirectory: Path.GetDirectoryName(controlPath) == ControlSocketPath.RuntimeDirectory(environment, Libc.GetEffectiveUserId()));
        using var meter = new ProcmanMeter(master, time);
        var adminListener = options.AdminBind is { } adminBind ? inherited?.TakeAdminSocket(adminBind) ?? AdminEndpoint.Bind(adminBind) : null;
        await using var admin = adminListener is null ? null : AdminEndpoint.Create(adminListener, options.ReadyWorkers, master, logging.Logger);
        if (admin is not null && inherited is not null)
        {
            admin.StartWhen(inherited.TakenOver, address => LogAdminListening(logger, address));
        }
        else if (admin is not null)
        {
            await admin.StartAsync(CancellationToken.None);
            LogAdminListening(logger, admin.Address);
        }

        using var upgrade = new MasterUpgrade(MasterCommand.Current(), _startDirectory, environment.All(), pidFile, () => plans.CurrentListeners, control, admin, events.Writer, loggers.CreateLogger<MasterUpgrade>());
        IArbiterObserver? systemd = SystemdNotifications.FromEnvironment(environment, time, loggers.CreateLogger<SystemdNotifications>());
        var arbiter = new Arbiter(plans, events, time, loggers.CreateLogger<Arbiter>(), metrics, diagnostics,
            () =>
            {
                logging.Reopen();
                plans.PrepareLogReopen();
            },
            observer: inherited?.Observe(systemd) ?? systemd, upgrader: upgrade, heartbeats: heartbeats);

        using var watcher = options.Reload ? new ReloadWatcher(options.App.Path, options.ReloadExtraFiles, events.Writer, time) : null;
        await arbiter.RunAsync();
        // Listeners bound by reloads are the plans'; the first set is disposed by its using.
        plans.CurrentListeners.DisposeExcept(listeners);
        var (exitCode, error) = arbiter.Outcome;
        if (error is not null)
        {
            throw new ProcmanException(error, exitCode);
        }
        LogStopped(logger);
        return exitCode;
    }

    private ProcmanOptions Resolve(SettingValues values, RunRequest request)
    {
        var options = ProcmanOptions.From(values, new AppCommand(request.AppPath!, request.AppArguments), _startDirectory);
        if (options.Check() is { } problem)
        {
            throw new ProcmanException(problem, ExitCodes.UsageError);
        }
        var app = new AppCommand(Path.GetFullPath(request.AppPath!, options.Chdir), request.AppArguments);
        if (app.Check() is { } appProblem)
        {
            throw new ProcmanException(appProblem, ExitCodes.AppNotFound);
        }
        if (BootPriority.Check(options.BootNice) is { } niceProblem)
        {
            throw new ProcmanException(niceProblem, ExitCodes.UsageError);
        }
        var rollForward = options.Environment.LastOrDefault(pair => pair.Key == "DOTNET_ROLL_FORWARD").Value ?? environment.Get("DOTNET_ROLL_FORWARD");
        if (AppRuntime.Check(app, rollForward) is { } runtimeProblem)
        {
            throw new ProcmanException(runtimeProblem, ExitCodes.AppNotFound);
        }
        // Resolved on every read of the settings: a reload may name another user, and a user deleted since is refused.
        var identity = WorkerIdentity.Resolve(options.User, options.Group, options.InitGroups, _users, ProcessIds.Current);
        return options with { App = app, Identity = identity };
    }

    /// <summary>With sockets from systemd and no bind configured, procman binds nothing itself: the default address would only be in the way.</summary>
    private static ProcmanOptions WithActivation(ProcmanOptions options, bool bindsConfigured)
        => bindsConfigured ? options : options with { Binds = [] };

    /// <summary>The configuration read again for a reload; the command line is the one procman started with.</summary>
    private ProcmanOptions Reload(RunRequest request, string? configFile)
    {
        var commandLine = configFile is null
            ? request.CommandLine
            : [.. request.CommandLine.Where(input => input.Setting.Name != Settings.Config), new SettingInput(Settings.Get(Settings.Config), [configFile])];
        var loaded = new ConfigurationLoader(environment, RunCommand.ParseSettingArguments).Load(commandLine);
        return Resolve(loaded.Values, request);
    }

    private static void PrintWarnings(IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            Console.Error.WriteLine($"procman: warning: {warning}");
        }
    }

    private static void PrintConfig(SettingValues values)
    {
        var rows = values.All.ToArray();
        var width = rows.Max(pair => pair.Key.Length);
        foreach (var (name, value) in rows)
        {
            Console.Out.WriteLine($"{name.PadRight(width)} = {SettingDefinition.Format(value)}");
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Listening at {Address}, {Queue} (master pid {MasterPid})")]
    private static partial void LogListening(ILogger logger, string address, string queue, int masterPid);

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "Socket activation: adopted {Sockets} from systemd; {Use}")]
    private static partial void LogSocketActivation(ILogger logger, string sockets, string use);

    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "Workers run as {Identity}; the master keeps uid {MasterUid} to bind addresses on reload and to watch the workers")]
    private static partial void LogWorkersIdentity(ILogger logger, string identity, uint masterUid);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 157, Level = LogLevel.Information, Message = "Admin endpoint at {Address}: /metrics, /healthz, /readyz, /status")]
    private static partial void LogAdminListening(ILogger logger, string address);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string warning);
}
