using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Diagnostics;
using Procman.Listeners;
using Procman.Logging;
using Procman.Master;
using Procman.Signals;
using Procman.Workers;
using Serilog;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace Procman.Cli;

/// <summary>Carries out <c>procman run</c>: resolve the settings, bind, and hand over to the arbiter.</summary>
internal sealed partial class RunCommandHandler(IEnvironment environment)
{
    public async Task<int> InvokeAsync(RunRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(request, cancellationToken);
        }
        catch (ProcmanException ex)
        {
            await Console.Error.WriteLineAsync($"procman: error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Whatever the checks above missed still reaches the operator as one line, not a stack trace.
            await Console.Error.WriteLineAsync($"procman: error: {ex.Message} ({ex.GetType().Name}); please report this with the command that caused it");
            return ExitCodes.InternalError;
        }
    }

    private async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken)
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

        // From here on relative paths (the app, unix sockets, the pidfile) are relative to chdir, as in
        // Gunicorn; a config file read again on SIGHUP keeps the path it was first found at.
        var configFile = loaded.ConfigFile;
        Directory.SetCurrentDirectory(options.Chdir);
        using var pidFile = options.PidFile is { } pidPath ? PidFile.Create(pidPath) : null;
        Native.Libc.SetThreadName(options.ProcName ?? "procman");

        using var listeners = ListenerSet.Bind(options.Binds, options.Backlog, options.Umask, options.ReusePort);
        var events = Channel.CreateUnbounded<ArbiterEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var signals = new SignalListener(events.Writer);

        using var logging = new MasterLogging(options.LogLevel, options.LogFormat, options.ErrorLog);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog(logging.Logger, dispose: false);
        builder.Services.AddSingleton(events);
        builder.Services.AddSingleton(environment);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(provider => new WorkerPlans(
            options,
            listeners,
            () => Reload(request, configFile),
            events.Writer,
            environment,
            provider.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<IWorkerPlans>(provider => provider.GetRequiredService<WorkerPlans>());
        builder.Services.AddSingleton<IProcessMetrics, ProcMetrics>();
        builder.Services.AddSingleton<IDumpWriter, DiagnosticsDumpWriter>();
        builder.Services.AddSingleton(provider => new Arbiter(
            provider.GetRequiredService<IWorkerPlans>(),
            events,
            TimeProvider.System,
            provider.GetRequiredService<ILogger<Arbiter>>(),
            provider.GetRequiredService<IProcessMetrics>(),
            provider.GetRequiredService<IDumpWriter>(),
            logging.Reopen));
        using var host = builder.Build();

        var logger = host.Services.GetRequiredService<ILogger<RunCommandHandler>>();
        foreach (var warning in loaded.Warnings)
        {
            LogConfigurationWarning(logger, warning);
        }
        foreach (var listener in listeners.Listeners)
        {
            LogListening(logger, listener.Display, listener.PerSlot ? "a SO_REUSEPORT socket per worker" : "one shared accept queue", Environment.ProcessId);
            if (options.ReusePort && !listener.PerSlot)
            {
                LogConfigurationWarning(logger, $"reuse_port applies to TCP addresses only: the workers share one accept queue on {listener.Display}");
            }
        }

        using var watcher = options.Reload ? new ReloadWatcher(options.App.Path, options.ReloadExtraFiles, events.Writer, TimeProvider.System) : null;
        var plans = host.Services.GetRequiredService<WorkerPlans>();
        var arbiter = host.Services.GetRequiredService<Arbiter>();
        await arbiter.RunAsync(cancellationToken);
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
        var options = ProcmanOptions.From(values, new AppCommand(request.AppPath!, request.AppArguments));
        if (options.Check() is { } problem)
        {
            throw new ProcmanException(problem, ExitCodes.UsageError);
        }
        var app = new AppCommand(Path.GetFullPath(request.AppPath!, Path.GetFullPath(options.Chdir)), request.AppArguments);
        if (app.Check() is { } appProblem)
        {
            throw new ProcmanException(appProblem, ExitCodes.AppNotFound);
        }
        return options with { App = app };
    }

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

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string warning);
}
