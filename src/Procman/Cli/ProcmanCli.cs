using System.CommandLine;
using System.CommandLine.Help;
using Procman.Configuration;

namespace Procman.Cli;

/// <summary>Declares procman's command tree; the commands' work is in their handlers.</summary>
internal static class ProcmanCli
{
    public static async Task<int> InvokeAsync(string[] args, IEnvironment environment)
    {
        // Everything after the first "--" belongs to the app, verbatim, even if it looks like a procman flag.
        var separator = Array.IndexOf(args, "--");
        var ownArgs = separator < 0 ? args : args[..separator];
        var appArgs = separator < 0 ? [] : args[(separator + 1)..];

        var root = new RootCommand("procman: a pre-fork process manager for ASP.NET Core apps (Gunicorn for .NET).");
        var clientCommands = ControlCommands.Create(environment).ToArray();
        // A client command may run once a second (watch procman status): it does not declare run's hundred options.
        if (ownArgs.Length == 0 || !clientCommands.Any(command => command.Name == ownArgs[0]))
        {
            root.Subcommands.Add(RunCommand.Create(environment, appArgs));
        }
        foreach (var command in clientCommands)
        {
            root.Subcommands.Add(command);
        }

        var result = root.Parse(ownArgs);
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            var command = result.CommandResult.Command.Name;
            var message = result.Errors[0].Message.TrimEnd('.');
            await Console.Error.WriteLineAsync($"procman: error: {message}; run 'procman {(command == root.Name ? "" : command + " ")}--help' for usage");
            return ExitCodes.UsageError;
        }
        // procman's own SignalListener answers SIGINT and SIGTERM through the arbiter, which ends with exit 0
        // after a graceful stop. System.CommandLine's handling would cancel the run and force an exit 143 (or
        // 130) after its timeout, racing the arbiter: it is switched off.
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
