using Procman.Configuration.Python;

namespace Procman.Configuration;

/// <summary>
/// Layers the sources of settings, each over the one before: defaults, the variables that replace some of them
/// (WEB_CONCURRENCY, PORT, FORWARDED_ALLOW_IPS), the config file, PROCMAN_CMD_ARGS, the command line. Runs at
/// start-up and again on every SIGHUP.
/// </summary>
internal sealed class ConfigurationLoader(IEnvironment environment, Func<IReadOnlyList<string>, IReadOnlyList<SettingInput>> parseArguments)
{
    public const string CommandArgumentsVariable = "PROCMAN_CMD_ARGS";

    /// <summary>Every name a config file may set, for suggestions when it sets another.</summary>
    private static readonly string[] KnownNames =
        [.. Settings.All.Select(s => s.Name), .. GunicornCompatibility.IgnoredSettings.Select(s => s.Name), .. GunicornCompatibility.Hooks];

    /// <exception cref="ProcmanException">A source is invalid; the message names the source, the setting and the fix.</exception>
    public LoadedSettings Load(IReadOnlyList<SettingInput> commandLine)
    {
        var warnings = new List<string>();
        var values = new SettingValues();
        var badVariables = ApplyEnvironmentVariables(values);
        var fromEnvironment = ParseEnvironmentArguments();

        var named = LastValue(commandLine, Settings.Config) ?? LastValue(fromEnvironment, Settings.Config);
        var path = named ?? Settings.DefaultConfigFile;
        string? loaded = null;
        if (File.Exists(path))
        {
            ApplyConfigFile(path, values, warnings);
            loaded = Path.GetFullPath(path);
        }
        else if (named is not null && Directory.Exists(named))
        {
            throw new ProcmanException($"config file '{named}' is a directory; name the file in it with -c/--config, such as -c {Path.Combine(named, "gunicorn.conf.py")}", ExitCodes.UsageError);
        }
        else if (named is not null)
        {
            throw new ProcmanException($"config file '{named}' does not exist; check the path given with -c/--config", ExitCodes.UsageError);
        }

        Apply(values, fromEnvironment, CommandArgumentsVariable, warnings);
        Apply(values, commandLine, "command line", warnings);
        values.Set(Settings.Config, loaded, loaded is null ? "default" : "command line");

        // A bad variable under a setting that another source gives anyway changes nothing: it is reported, not fatal,
        // so that a platform's WEB_CONCURRENCY cannot stop a procman started with an explicit -w.
        foreach (var (setting, problem) in badVariables)
        {
            if (values.SourceOf(setting.Name) == "default")
            {
                throw new ProcmanException($"invalid ${setting.EnvironmentVariable} {problem}; correct or unset it", ExitCodes.UsageError);
            }
            var source = values.SourceOf(setting.Name) is var name && name == CommandArgumentsVariable ? name : $"the {name}";
            warnings.Add($"${setting.EnvironmentVariable} is ignored: {problem}; {setting.Name} is set by {source}");
        }
        return new LoadedSettings(values, warnings, loaded);
    }

    /// <summary>Applies the variables that give settings their defaults; returns the ones whose value is invalid, with why.</summary>
    private List<(SettingDefinition Setting, string Problem)> ApplyEnvironmentVariables(SettingValues values)
    {
        var bad = new List<(SettingDefinition, string)>();
        foreach (var setting in Settings.All.Where(setting => setting.EnvironmentVariable is not null))
        {
            // Empty counts as unset, as a container's "-e PORT=" usually means.
            if (environment.Get(setting.EnvironmentVariable!) is not { Length: > 0 } text)
            {
                continue;
            }
            if (setting.TryParse(setting.FromEnvironment?.Invoke(text) ?? text, out var value, out var error))
            {
                values.Set(setting.Name, value, $"${setting.EnvironmentVariable}");
            }
            else
            {
                bad.Add((setting, $"'{text}': {error}"));
            }
        }
        return bad;
    }

    private IReadOnlyList<SettingInput> ParseEnvironmentArguments()
    {
        if (environment.Get(CommandArgumentsVariable) is not { Length: > 0 } text)
        {
            return [];
        }
        if (!ShellWords.TrySplit(text, out var words, out var error))
        {
            throw new ProcmanException($"{CommandArgumentsVariable}: {error}", ExitCodes.UsageError);
        }
        try
        {
            return parseArguments(words);
        }
        catch (ProcmanException ex)
        {
            throw new ProcmanException($"{CommandArgumentsVariable}: {ex.Message}", ExitCodes.UsageError);
        }
    }

    private static string? LastValue(IReadOnlyList<SettingInput> inputs, string name)
        => inputs.LastOrDefault(input => input.Setting.Name == name)?.Values.LastOrDefault();

    private static void Apply(SettingValues values, IReadOnlyList<SettingInput> inputs, string source, List<string> warnings)
    {
        var where = source == CommandArgumentsVariable ? $"{CommandArgumentsVariable}: " : "";
        foreach (var (setting, raw) in inputs)
        {
            if (setting.Name == Settings.Config)
            {
                continue;
            }
            var flag = setting.Flags.Count > 0 ? setting.Flags[0] : setting.Name;
            if (setting.IgnoredBecause is { } why)
            {
                warnings.Add($"{where}{flag} is ignored: {why}");
                continue;
            }
            var parsed = new List<object?>();
            foreach (var text in raw)
            {
                if (!setting.TryParse(text, out var value, out var error))
                {
                    throw new ProcmanException($"{where}invalid {flag} '{text}': {error}", ExitCodes.UsageError);
                }
                parsed.Add(value);
            }
            var merged = setting.Type switch
            {
                SettingType.TextList => parsed.SelectMany(item => (IEnumerable<string>)item!).ToArray(),
                SettingType.TextMap => parsed.SelectMany(item => (IReadOnlyDictionary<string, string>)item!)
                    .GroupBy(pair => pair.Key, StringComparer.Ordinal)
                    .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal),
                _ => parsed[^1],
            };
            values.Set(setting.Name, merged, source);
        }
    }

    private void ApplyConfigFile(string path, SettingValues values, List<string> warnings)
    {
        ConfigModule module;
        try
        {
            module = new PythonConfigEvaluator(environment, Environment.ProcessorCount).Evaluate(ConfigFileText.Read(path), path);
        }
        catch (ConfigSyntaxException ex)
        {
            throw new ProcmanException(ex.Message, ExitCodes.UsageError);
        }

        warnings.AddRange(module.Warnings);
        foreach (var hook in module.Hooks)
        {
            if (GunicornCompatibility.Hooks.Contains(hook.Name))
            {
                warnings.Add($"{path}:{hook.Line}: hook {hook.Name}() is ignored: {GunicornCompatibility.HookAdvice(hook.Name)}");
            }
            else if (DidYouMean.Closest(hook.Name, GunicornCompatibility.Hooks) is { } hookSuggestion)
            {
                warnings.Add($"{path}:{hook.Line}: {hook.Name}() is not a Gunicorn hook; did you mean {hookSuggestion}?");
            }
        }

        foreach (var assignment in module.Assignments)
        {
            var at = $"{path}:{assignment.Line}";
            if (Settings.TryGet(assignment.Name, out var setting) && setting!.Name != Settings.Config)
            {
                if (assignment.Inert is { } inert)
                {
                    throw new ProcmanException($"{at}: invalid {setting.Name}: its value uses `{inert}`, which procman does not evaluate; set it from literals, os.environ or os.path", ExitCodes.UsageError);
                }
                if (setting.IgnoreInConfig?.Invoke(assignment.Value) is { } ignored)
                {
                    warnings.Add($"{at}: {setting.Name} = {SettingDefinition.Format(assignment.Value)} is ignored: {ignored}");
                    continue;
                }
                if (!setting.TryConvert(assignment.Value, out var value, out var error))
                {
                    throw new ProcmanException($"{at}: invalid {setting.Name}: {error}", ExitCodes.UsageError);
                }
                values.Set(setting.Name, value, "config file");
            }
            else if (assignment.Name == Settings.Config)
            {
                warnings.Add($"{at}: config is ignored inside a config file; name the file with -c");
            }
            else if (GunicornCompatibility.TryGetIgnored(assignment.Name, out var ignoredSetting))
            {
                warnings.Add($"{at}: {assignment.Name} is ignored: {ignoredSetting!.IgnoredBecause}");
            }
            else if (GunicornCompatibility.Hooks.Contains(assignment.Name))
            {
                warnings.Add($"{at}: hook {assignment.Name} is ignored: {GunicornCompatibility.HookAdvice(assignment.Name)}");
            }
            else if (assignment.Inert is null && assignment.Name.Any(char.IsLower) && !assignment.Name.Any(char.IsUpper) && !assignment.Name.StartsWith('_')
                && DidYouMean.Closest(assignment.Name, KnownNames) is { } suggestion)
            {
                warnings.Add($"{at}: {assignment.Name} is not a setting; did you mean {suggestion}?");
            }
        }
    }

}
