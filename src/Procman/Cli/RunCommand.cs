using System.CommandLine;
using Procman.Configuration;

namespace Procman.Cli;

/// <summary><c>procman run APP [options] [-- APP-ARGS]</c>: its options are generated from <see cref="Settings.All"/>.</summary>
internal sealed class RunCommand
{
    private readonly List<(SettingDefinition Setting, Option Option)> _settingOptions = [];

    private RunCommand()
    {
        Command = new Command("run", "Run an ASP.NET Core app as N worker processes behind a master that owns the listening sockets.\n\n"
            + "APP is the app's .dll (run with the dotnet host) or its executable; arguments after -- are passed to the app. "
            + "Settings come from, in rising precedence: defaults (WEB_CONCURRENCY, PORT and FORWARDED_ALLOW_IPS replace theirs), the config file, PROCMAN_CMD_ARGS, the command line. "
            + "Gunicorn's flags for what procman does not implement (-k, --threads, --preload, ...) are accepted with a warning.\n\n"
            + "Signals: TERM graceful stop; INT, QUIT quick stop; HUP reload the config and the workers without downtime.\n\n"
            + ExitCodes.HelpText);
        App = new Argument<string?>("APP")
        {
            Description = "The app to run: its main .dll, or its executable.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Command.Arguments.Add(App);
        foreach (var setting in Settings.All.Where(setting => setting.Flags.Count > 0))
        {
            var option = CreateOption(setting);
            Command.Options.Add(option);
            _settingOptions.Add((setting, option));
        }
        PrintConfig = new Option<bool>("--print-config") { Description = "Print every setting as name = value and exit without starting workers." };
        CheckConfig = new Option<bool>("--check-config") { Description = "Check the settings and the app, then exit: 0 when valid." };
        Command.Options.Add(PrintConfig);
        Command.Options.Add(CheckConfig);

        // Gunicorn's flags for what procman does not implement are accepted, and warned about, so that a command line
        // or GUNICORN_CMD_ARGS written for Gunicorn works. Hidden: --help lists what procman does.
        var taken = Command.Options.SelectMany(option => option.Aliases.Append(option.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var setting in GunicornCompatibility.IgnoredSettings.Where(setting => setting.Flags.Count > 0 && !setting.Flags.Any(taken.Contains)))
        {
            var option = CreateOption(setting);
            option.Hidden = true;
            Command.Options.Add(option);
            _settingOptions.Add((setting, option));
        }
    }

    private Command Command { get; }

    private Argument<string?> App { get; }

    private Option<bool> PrintConfig { get; }

    private Option<bool> CheckConfig { get; }

    public static Command Create(IEnvironment environment, string[] appArgs)
    {
        var run = new RunCommand();
        run.Command.SetAction(result => new RunCommandHandler(environment, TimeProvider.System).InvokeAsync(
            new RunRequest(
                AppPath: result.GetValue(run.App),
                AppArguments: appArgs,
                CommandLine: run.Inputs(result),
                PrintConfig: result.GetValue(run.PrintConfig),
                CheckConfig: result.GetValue(run.CheckConfig))));
        return run.Command;
    }

    /// <summary>Parses settings given as words (PROCMAN_CMD_ARGS) with the same flags as the command line.</summary>
    /// <exception cref="ProcmanException">The words are not valid settings flags.</exception>
    public static IReadOnlyList<SettingInput> ParseSettingArguments(IReadOnlyList<string> words)
    {
        var run = new RunCommand();
        var result = run.Command.Parse(words.ToArray());
        if (result.Errors.Count > 0)
        {
            throw new ProcmanException(result.Errors[0].Message, ExitCodes.UsageError);
        }
        if (result.GetValue(run.App) is { } app)
        {
            throw new ProcmanException($"unrecognized argument '{app}'; it may hold settings flags only, such as -w 4 --bind 0.0.0.0:8000", ExitCodes.UsageError);
        }
        if (result.GetValue(run.PrintConfig) || result.GetValue(run.CheckConfig))
        {
            throw new ProcmanException("--print-config and --check-config belong on the command line", ExitCodes.UsageError);
        }
        return run.Inputs(result);
    }

    private IReadOnlyList<SettingInput> Inputs(ParseResult result)
        => _settingOptions
            .Select(pair => new SettingInput(pair.Setting, RawValues(result, pair.Option)))
            .Where(input => input.Values.Count > 0)
            .ToArray();

    private static Option CreateOption(SettingDefinition setting)
    {
        var name = setting.Flags[0];
        var aliases = setting.Flags.Skip(1).ToArray();
        var variable = setting.EnvironmentVariable is { } environmentVariable ? $", or ${environmentVariable}" : "";
        var help = $"{setting.Help} [default: {setting.DefaultText}{variable}] [config: {setting.Name}]";
        return setting.Type switch
        {
            SettingType.TextList or SettingType.TextMap => new Option<string[]>(name, aliases) { Description = help, HelpName = setting.ValueName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false },
            // Gunicorn's switches take no value; procman's own take an optional true/false.
            SettingType.Boolean when setting.IgnoredBecause is not null => new Option<bool>(name, aliases) { Description = help, Arity = ArgumentArity.Zero },
            SettingType.Boolean => new Option<bool?>(name, aliases) { Description = help, Arity = ArgumentArity.ZeroOrOne },
            _ when setting.ValueIsOptional => new Option<string>(name, aliases) { Description = help, HelpName = setting.ValueName, Arity = ArgumentArity.ZeroOrOne },
            _ => new Option<string>(name, aliases) { Description = help, HelpName = setting.ValueName },
        };
    }

    private static IReadOnlyList<string> RawValues(ParseResult result, Option option) => option switch
    {
        Option<string[]> list => result.GetValue(list) ?? [],
        Option<bool?> flag => result.GetValue(flag) is bool value ? [value ? "true" : "false"] : [],
        Option<bool> flag => result.GetValue(flag) ? ["true"] : [],
        Option<string> text when text.Arity.MinimumNumberOfValues == 0 => result.GetResult(text) is { } given ? [given.Tokens.FirstOrDefault()?.Value ?? ""] : [],
        Option<string> text => result.GetValue(text) is { } value ? [value] : [],
        _ => [],
    };
}
