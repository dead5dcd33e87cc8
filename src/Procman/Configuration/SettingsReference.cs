using System.Text;

namespace Procman.Configuration;

/// <summary>Renders docs/settings.md from <see cref="Settings.All"/>, so that the reference cannot drift from the code.</summary>
internal static class SettingsReference
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# Settings reference");
        text.AppendLine();
        text.AppendLine("Generated from procman's setting definitions; do not edit by hand.");
        text.AppendLine();
        text.AppendLine("Every setting can be given, in rising precedence, as a default, in the config file (`-c`, or");
        text.AppendLine("`./procman.conf.py` when it exists) in Gunicorn's syntax, in `PROCMAN_CMD_ARGS` (the same flags as the");
        text.AppendLine("command line, shell-quoted), and on the command line. `procman run APP --print-config` shows the result.");
        text.AppendLine();
        foreach (var section in Settings.All.GroupBy(setting => setting.Section))
        {
            text.AppendLine($"## {section.Key}");
            text.AppendLine();
            foreach (var setting in section)
            {
                text.AppendLine($"### `{setting.Name}`");
                text.AppendLine();
                var flags = setting.Flags.Count == 0
                    ? "config file only"
                    : string.Join(", ", setting.Flags.Select(flag => setting.ValueName is null || setting.Type == SettingType.Boolean ? $"`{flag}`" : $"`{flag} {setting.ValueName}`"));
                text.AppendLine($"- Command line: {flags}");
                text.AppendLine($"- Type: {setting.Expected}");
                text.AppendLine($"- Default: {setting.DefaultText}");
                if (setting.EnvironmentVariable is { } variable)
                {
                    var syntax = setting.FromEnvironment?.Invoke($"${variable}") is { } mapped ? $" (as `{mapped}`)" : "";
                    text.AppendLine($"- Environment: `${variable}`{syntax} replaces the default when set, checked as the flag is");
                }
                text.AppendLine();
                text.AppendLine(setting.Help);
                text.AppendLine();
            }
        }
        text.AppendLine("## Gunicorn settings procman ignores");
        text.AppendLine();
        text.AppendLine("A config file written for Gunicorn may set these, and the command line or `PROCMAN_CMD_ARGS` may give their");
        text.AppendLine("flags (so a `GUNICORN_CMD_ARGS` string works there); each is named in one warning and otherwise ignored.");
        text.AppendLine("Gunicorn's server hooks are ignored the same way, each with what to do instead.");
        text.AppendLine();
        text.AppendLine("| setting | flags | why |");
        text.AppendLine("| --- | --- | --- |");
        foreach (var setting in GunicornCompatibility.IgnoredSettings.OrderBy(setting => setting.Name, StringComparer.Ordinal))
        {
            var flags = setting.Flags.Count == 0 ? "config file only" : string.Join(", ", setting.Flags.Select(flag => $"`{flag}`"));
            text.AppendLine($"| `{setting.Name}` | {flags} | {setting.IgnoredBecause} |");
        }
        return text.ToString();
    }
}
