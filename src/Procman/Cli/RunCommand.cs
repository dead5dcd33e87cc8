using System.CommandLine;
using Procman.Configuration;

namespace Procman.Cli;

/// <summary><c>procman run APP [options] [-- APP-ARGS]</c>: its options are generated from <see cref="Settings.All"/>.</summary>
internal static class RunCommand
{
    public static Command Create(IEnvironment environment, string[] appArgs)
    {
        var command = new Command("run", "Run an ASP.NET Core app as N worker processes behind a master that owns the listening sockets.\n\n"
            + "APP is the app's .dll (run with the dotnet host) or its executable; arguments after -- are passed to the app.\n\n"
            + "Signals: TERM graceful stop; INT, QUIT quick stop; HUP zero-downtime reload.\n\n"
            + ExitCodes.HelpText);

        var app = new Argument<string?>("APP")
        {
            Description = "The app to run: its main .dll, or its executable.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        command.Arguments.Add(app);

        var settingOptions = new List<(SettingDefinition Setting, Option Option)>();
        foreach (var setting in Settings.All)
        {
            var option = CreateOption(setting);
            command.Options.Add(option);
            settingOptions.Add((setting, option));
        }

        var printConfig = new Option<bool>("--print-config") { Description = "Print every setting as name = value and exit without starting workers." };
        var checkConfig = new Option<bool>("--check-config") { Description = "Check the settings and the app, then exit: 0 when valid." };
        command.Options.Add(printConfig);
        command.Options.Add(checkConfig);

        command.SetAction((result, cancellationToken) => new RunCommandHandler(environment).InvokeAsync(
            new RunRequest(
                AppPath: result.GetValue(app),
                AppArguments: appArgs,
                CommandLine: settingOptions.Select(pair => (pair.Setting, Values: RawValues(result, pair.Option))).Where(pair => pair.Values.Count > 0).ToArray(),
                PrintConfig: result.GetValue(printConfig),
                CheckConfig: result.GetValue(checkConfig)),
            cancellationToken));
        return command;
    }

    private static Option CreateOption(SettingDefinition setting)
    {
        var name = setting.Flags[0];
        var aliases = setting.Flags.Skip(1).ToArray();
        var help = $"{setting.Help} [default: {setting.DefaultText}] [config: {setting.Name}]";
        return setting.Type switch
        {
            SettingType.TextList => new Option<string[]>(name, aliases) { Description = help, HelpName = setting.ValueName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false },
            SettingType.Boolean => new Option<bool?>(name, aliases) { Description = help, Arity = ArgumentArity.ZeroOrOne },
            _ => new Option<string>(name, aliases) { Description = help, HelpName = setting.ValueName },
        };
    }

    private static IReadOnlyList<string> RawValues(ParseResult result, Option option) => option switch
    {
        Option<string[]> list => result.GetValue(list) ?? [],
        Option<bool?> flag => result.GetValue(flag) is bool value ? [value ? "true" : "false"] : [],
        Option<string> text => result.GetValue(text) is { } value ? [value] : [],
        _ => [],
    };
}
