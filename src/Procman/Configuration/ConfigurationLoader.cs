using Procman.Configuration.Python;

namespace Procman.Configuration;

/// <summary>
/// Layers the sources of settings, each over the one before: defaults, the config file,
/// PROCMAN_CMD_ARGS, the command line. Runs at start-up and again on every SIGHUP.
/// </summary>
internal sealed class ConfigurationLoader(IEnvironment environment, Func<IReadOnlyList<string>, IReadOnlyList<SettingInput>> parseArguments)
{
    public const string CommandArgumentsVariable = "PROCMAN_CMD_ARGS";

    /// <exception cref="ProcmanException">A source is invalid; the message names the source, the setting and the fix.</exception>
    public LoadedSettings Load(IReadOnlyList<SettingInput> commandLine)
    {
        var warnings = new List<string>();
        var values = new SettingValues(environment);
        var fromEnvironment = ParseEnvironmentArguments();

        var named = LastValue(commandLine, Settings.Config) ?? LastValue(fromEnvironment, Settings.Config);
        var path = named ?? Settings.DefaultConfigFile;
        string? loaded = null;
        if (File.Exists(path))
        {
            ApplyConfigFile(path, values, warnings);
            loaded = Path.GetFullPath(path);
        }
        else if (named is not null)
        {
            throw new ProcmanException($"config file '{named}' does not exist; check the path given with -c/--config", ExitCodes.UsageError);
        }

        Apply(values, fromEnvironment, CommandArgumentsVariable);
        Apply(values, commandLine, "command line");
        values.Set(Settings.Config, loaded, loaded is null ? "default" : "command line");
        return new LoadedSettings(values, warnings, loaded);
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

    private static void Apply(SettingValues values, IReadOnlyList<SettingInput> inputs, string source)
    {
        foreach (var (setting, raw) in inputs)
        {
            if (setting.Name == Settings.Config)
            {
                continue;
            }
            var parsed = new List<object?>();
            foreach (var text in raw)
            {
                if (!setting.TryParse(text, out var value, out var error))
                {
                    var flag = setting.Flags.Count > 0 ? setting.Flags[0] : setting.Name;
                    var where = source == CommandArgumentsVariable ? $"{CommandArgumentsVariable}: " : "";
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
            var text = PythonConfigEvaluator.Decode(File.ReadAllBytes(path), path);
            module = new PythonConfigEvaluator(environment, Environment.ProcessorCount).Evaluate(text, path);
        }
        catch (ConfigSyntaxException ex)
        {
            throw new ProcmanException(ex.Message, ExitCodes.UsageError);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProcmanException($"cannot read config file '{path}': {ex.Message}", ExitCodes.UsageError);
        }

        warnings.AddRange(module.Warnings);
        foreach (var hook in module.Hooks)
        {
            warnings.Add($"{path}:{hook.Line}: hook {hook.Name}() is ignored: {GunicornCompatibility.HookAdvice(hook.Name)}");
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
            else if (GunicornCompatibility.IgnoredSettings.TryGetValue(assignment.Name, out var why))
            {
                warnings.Add($"{at}: {assignment.Name} is ignored: {why}");
            }
            else if (assignment.Inert is null && assignment.Name.Any(char.IsLower) && !assignment.Name.Any(char.IsUpper) && !assignment.Name.StartsWith('_')
                && DidYouMean.Closest(assignment.Name, Settings.All.Select(s => s.Name).Concat(GunicornCompatibility.IgnoredSettings.Keys)) is { } suggestion)
            {
                warnings.Add($"{at}: {assignment.Name} is not a setting; did you mean {suggestion}?");
            }
        }
    }
}
