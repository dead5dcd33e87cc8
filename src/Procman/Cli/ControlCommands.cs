using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Procman.Configuration;
using Procman.Control;

namespace Procman.Cli;

/// <summary>Declares the client commands that talk to a running master over its control socket.</summary>
internal static class ControlCommands
{
    public static IEnumerable<Command> Create(IEnvironment environment)
    {
        var handler = new ControlCommandHandler(environment, Console.Out, Console.Error);
        yield return Status(handler);
        yield return Reload(handler);
        yield return Scale(handler);
        yield return Recycle(handler);
        yield return Stop(handler);
        yield return Dump(handler);
        yield return Top(new TopCommandHandler(environment));
    }

    private static Command Top(TopCommandHandler handler)
    {
        var (command, target) = Declare("top", "A live view of the workers (requests/s, memory, probe delay, restarts), refreshed every second; q or Ctrl+C quits.");
        command.SetAction((result, cancellationToken) => handler.InvokeAsync(target(result), cancellationToken));
        return command;
    }

    private static Command Status(ControlCommandHandler handler)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON object (the same as the admin endpoint's /status), for scripts." };
        var (command, target) = Declare("status", "Show the master and one row per worker: pid, state, requests, memory, restarts.");
        command.Options.Add(json);
        command.SetAction((result, cancellationToken) => handler.InvokeAsync(target(result), new ControlRequest { Command = ControlRequest.Status },
            response => result.GetValue(json) ? ControlCodec.Write(response.Status!) : StatusTable.Render(response.Status!), cancellationToken));
        return command;
    }

    private static Command Reload(ControlCommandHandler handler)
    {
        var wait = new Option<bool>("--wait") { Description = "Return once the reload completed (exit 0), or failed or was refused (exit 8, with the reason); the old workers keep serving when it fails." };
        var (command, target) = Declare("reload", "Reload the configuration and replace the workers without downtime, as SIGHUP does.");
        command.Options.Add(wait);
        command.SetAction((result, cancellationToken) => handler.InvokeAsync(target(result), new ControlRequest { Command = ControlRequest.Reload, Wait = result.GetValue(wait) },
            response => response.Message!, cancellationToken));
        return command;
    }

    private static Command Scale(ControlCommandHandler handler)
    {
        var count = new Argument<string>("N|+K|-K") { Description = "The worker count to reach, or workers to add (+K) or remove (-K); the next reload sets the configured count again." };
        var (command, target) = Declare("scale", "Change the number of workers, as SIGTTIN and SIGTTOU do one at a time.");
        command.Arguments.Add(count);
        command.SetAction((result, cancellationToken) =>
        {
            var text = result.GetValue(count)!;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return Task.FromResult(Usage($"'{text}' is not a worker count; use N, +K or -K, such as 4 or +1"));
            }
            var request = text[0] is '+' or '-'
                ? new ControlRequest { Command = ControlRequest.Scale, Delta = number }
                : new ControlRequest { Command = ControlRequest.Scale, Workers = number };
            return handler.InvokeAsync(target(result), request, response => response.Message!, cancellationToken);
        });
        return command;
    }

    private static Command Recycle(ControlCommandHandler handler)
    {
        var slot = new Argument<int?>("SLOT") { Description = "The worker's slot (procman status lists them).", Arity = ArgumentArity.ZeroOrOne, CustomParser = result => ParseSlot(result) };
        var all = new Option<bool>("--all") { Description = "Recycle every worker, one after the other." };
        var (command, target) = Declare("recycle", "Replace a worker with a fresh one, overlapped as max_requests does: the old one retires once its replacement is ready.");
        command.Arguments.Add(slot);
        command.Options.Add(all);
        command.SetAction((result, cancellationToken) =>
        {
            var (which, everyone) = (result.GetValue(slot), result.GetValue(all));
            if (which is null == !everyone)
            {
                return Task.FromResult(Usage("give either a SLOT or --all"));
            }
            return handler.InvokeAsync(target(result), new ControlRequest { Command = ControlRequest.Recycle, Slot = which, All = everyone },
                response => response.Message!, cancellationToken);
        });
        return command;
    }

    /// <summary>A slot as procman status shows it; anything else is one line saying so, as every other bad value is.</summary>
    private static int? ParseSlot(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot < 1)
        {
            result.AddError($"'{text}' is not a worker slot; use a slot number procman status shows, such as 1");
            return null;
        }
        return slot;
    }

    private static Command Stop(ControlCommandHandler handler)
    {
        var quick = new Option<bool>("--quick") { Description = "Quick stop (as SIGINT): workers get a second, not graceful_timeout." };
        var wait = new Option<bool>("--wait") { Description = "Return once the master has stopped its workers and is exiting." };
        var (command, target) = Declare("stop", "Stop the master and its workers, gracefully (as SIGTERM) unless --quick.");
        command.Options.Add(quick);
        command.Options.Add(wait);
        command.SetAction((result, cancellationToken) => handler.InvokeAsync(target(result), new ControlRequest { Command = ControlRequest.Stop, Quick = result.GetValue(quick) },
            response => result.GetValue(wait) ? "stopped" : response.Message!, cancellationToken, untilClosed: result.GetValue(wait)));
        return command;
    }

    private static Command Dump(ControlCommandHandler handler)
    {
        var slot = new Argument<int>("SLOT") { Description = "The worker's slot (procman status lists them).", CustomParser = result => ParseSlot(result) ?? 0 };
        var directory = new Option<string?>("--dump-dir") { Description = "Also write a dump file of the worker here (read it with dotnet-dump analyze).", HelpName = "DIR" };
        var (command, target) = Declare("dump", "Show what a worker's threads are doing, without stopping it.");
        command.Arguments.Add(slot);
        command.Options.Add(directory);
        command.SetAction((result, cancellationToken) => handler.InvokeAsync(target(result),
            new ControlRequest { Command = ControlRequest.Dump, Slot = result.GetValue(slot), DumpDir = result.GetValue(directory) is { } dir ? Path.GetFullPath(dir) : null },
            response => string.Join('\n', new[]
            {
                $"worker {response.Dump!.Slot} (pid {response.Dump.Pid})",
                response.Dump.Stacks,
                response.Dump.Path is { } path ? $"dump written to {path}" : null,
            }.OfType<string>()), cancellationToken));
        return command;
    }

    /// <summary>A command with the two ways to find the master, and how to read them back.</summary>
    private static (Command Command, Func<ParseResult, ControlTarget> Target) Declare(string name, string description)
    {
        var command = new Command(name, description + "\n\n" + ExitCodes.HelpText);
        var socket = new Option<string?>("--control-socket") { Description = "The master's control socket.", HelpName = "PATH" };
        var config = new Option<string?>("--config", "-c") { Description = "Find the control socket from this config file, as procman run does.", HelpName = "CONFIG" };
        command.Options.Add(socket);
        command.Options.Add(config);
        return (command, result => new ControlTarget(result.GetValue(socket), result.GetValue(config)));
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"procman: error: {problem}");
        return ExitCodes.UsageError;
    }
}
