using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Listeners;
using Procman.Logging;
using Procman.Signals;
using Procman.Workers;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using Serilog;

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
    }

    private async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var values = ResolveSettings(request);
        if (request.PrintConfig)
        {
            PrintConfig(values);
            return ExitCodes.Success;
        }

        if (string.IsNullOrWhiteSpace(request.AppPath))
        {
            throw new ProcmanException("no app given; usage: procman run MyApi.dll [options] [-- app arguments]", ExitCodes.UsageError);
        }
        var app = new AppCommand(request.AppPath, request.AppArguments);
        if (app.Check() is { } problem)
        {
            throw new ProcmanException(problem, ExitCodes.AppNotFound);
        }
        var options = ProcmanOptions.From(values, app);
        if (request.CheckConfig)
        {
            await Console.Out.WriteLineAsync($"procman: configuration is valid; {options.Workers} worker(s) of {app.Path} on {string.Join(", ", options.Binds)}");
            return ExitCodes.Success;
        }

        using var listeners = ListenerSet.Bind(options.Binds, options.Backlog);
        var events = Channel.CreateUnbounded<ArbiterEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var signals = new SignalListener(events.Writer);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog(MasterLogging.Create(options.LogLevel, options.LogFormat), dispose: true);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(listeners);
        builder.Services.AddSingleton(events);
        builder.Services.AddSingleton(events.Writer);
        builder.Services.AddSingleton(environment);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IWorkerLauncher, ProcessWorkerLauncher>();
        builder.Services.AddSingleton<Arbiter>();
        using var host = builder.Build();

        var logger = host.Services.GetRequiredService<ILogger<RunCommandHandler>>();
        foreach (var listener in listeners.Listeners)
        {
            LogListening(logger, listener.Display, Environment.ProcessId);
        }

        var arbiter = host.Services.GetRequiredService<Arbiter>();
        await arbiter.RunAsync(cancellationToken);
        var (exitCode, error) = arbiter.Outcome;
        if (error is not null)
        {
            throw new ProcmanException(error, exitCode);
        }
        LogStopped(logger);
        return exitCode;
    }

    private SettingValues ResolveSettings(RunRequest request)
    {
        var values = new SettingValues(environment);
        foreach (var (setting, raw) in request.CommandLine)
        {
            var parsed = new List<object>();
            foreach (var text in raw)
            {
                if (!setting.TryParse(text, out var value, out var error))
                {
                    throw new ProcmanException($"invalid {setting.Flags[0]} '{text}': {error}", ExitCodes.UsageError);
                }
                parsed.Add(value!);
            }
            object merged = setting.Type == SettingType.TextList
                ? parsed.SelectMany(item => (IEnumerable<string>)item).ToArray()
                : parsed[^1];
            values.Set(setting.Name, merged, "command line");
        }
        return values;
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

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Listening at {Address} (master pid {MasterPid})")]
    private static partial void LogListening(ILogger logger, string address, int masterPid);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Stopped")]
    private static partial void LogStopped(ILogger logger);
}
