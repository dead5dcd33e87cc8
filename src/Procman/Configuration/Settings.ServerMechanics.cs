using System.Globalization;

namespace Procman.Configuration;

internal static partial class Settings
{
    public const string Chdir = "chdir";
    public const string RawEnv = "raw_env";
    public const string PidFile = "pidfile";
    public const string Umask = "umask";
    public const string ProcName = "proc_name";
    public const string User = "user";
    public const string Group = "group";
    public const string InitGroups = "initgroups";
    public const string Reload = "reload";
    public const string ReloadExtraFiles = "reload_extra_files";

    private const string MechanicsSection = "Server mechanics";

    private static SettingDefinition[] ServerMechanics =>
    [
        new()
        {
            Name = Chdir,
            Type = SettingType.Text,
            Section = MechanicsSection,
            Flags = ["--chdir"],
            ValueName = "DIR",
            Help = "Change to this directory before starting workers; a relative APP path and the app's content root are resolved from it.",
            Default = () => Environment.CurrentDirectory,
            DefaultText = "the current directory",
        },
        new()
        {
            Name = RawEnv,
            Type = SettingType.TextList,
            Section = MechanicsSection,
            Flags = ["--env", "-e"],
            ValueName = "KEY=VALUE",
            Help = "Set an environment variable for the workers. Repeat for several.",
            Default = () => Array.Empty<string>(),
            DefaultText = "[]",
            Validate = value => ((IEnumerable<string>)value)
                .Where(item => item.IndexOf('=') <= 0)
                .Select(item => $"environment entry '{item}' is not KEY=VALUE")
                .FirstOrDefault(),
        },
        new()
        {
            Name = PidFile,
            Type = SettingType.Text,
            Section = MechanicsSection,
            Flags = ["--pid", "-p"],
            ValueName = "FILE",
            AllowsNone = true,
            Help = "Write the master's pid to this file; refuse to start while it names a live process; remove it on exit.",
            Default = () => null,
            DefaultText = "None",
        },
        new()
        {
            Name = Umask,
            Type = SettingType.Integer,
            Section = MechanicsSection,
            Flags = ["--umask", "-m"],
            ValueName = "INT",
            Help = "The umask applied while procman creates unix socket files, as Gunicorn does: 0 lets any local user connect. Octal with a leading 0 or 0o.",
            Default = () => 0,
            DefaultText = "0",
            ParseText = ParseUmask,
            Validate = value => Between((int)value, 0, 511 /* 0o777 */, Umask),
        },
        new()
        {
            Name = ProcName,
            Type = SettingType.Text,
            Section = MechanicsSection,
            Flags = ["--name", "-n"],
            ValueName = "STRING",
            AllowsNone = true,
            Help = "The process name ps -o comm and top show for the master and the workers (15 characters at most).",
            Default = () => null,
            DefaultText = "None (procman for the master, the app's name for workers)",
        },
        new()
        {
            Name = User,
            Type = SettingType.Text,
            Section = MechanicsSection,
            Flags = ["--user", "-u"],
            ValueName = "USER",
            AllowsNone = true,
            // Gunicorn takes a number as well as a name: user = 1000 in a config file.
            FromInteger = id => id.ToString(CultureInfo.InvariantCulture),
            Help = "Run every worker as this user (a name or a numeric uid); the master stays root to bind and to watch the workers (docs/privileges.md). Needs procman to start as root.",
            Default = () => null,
            DefaultText = "None (the workers run as procman's own user)",
        },
        new()
        {
            Name = Group,
            Type = SettingType.Text,
            Section = MechanicsSection,
            Flags = ["--group", "-g"],
            ValueName = "GROUP",
            AllowsNone = true,
            // Gunicorn takes a number as well as a name: user = 1000 in a config file.
            FromInteger = id => id.ToString(CultureInfo.InvariantCulture),
            Help = "Run every worker as this group (a name or a numeric gid). Needs procman to start as root.",
            Default = () => null,
            DefaultText = "None (the user's primary group, or procman's own without a user)",
        },
        new()
        {
            Name = InitGroups,
            Type = SettingType.Boolean,
            Section = MechanicsSection,
            Flags = ["--initgroups"],
            Help = "Give the workers the user's supplementary groups from the group database, as initgroups(3) does; without it they get none. Needs user.",
            Default = () => false,
            DefaultText = "False",
        },
        new()
        {
            Name = Reload,
            Type = SettingType.Boolean,
            Section = MechanicsSection,
            Flags = ["--reload"],
            Help = "Development mode: reload the workers gracefully whenever the app's files (*.dll, *.json next to it) or reload_extra_files change.",
            Default = () => false,
            DefaultText = "False",
        },
        new()
        {
            Name = ReloadExtraFiles,
            Type = SettingType.TextList,
            Section = MechanicsSection,
            Flags = ["--reload-extra-file"],
            ValueName = "FILE",
            Help = "More files to watch with reload. Repeat for several.",
            Default = () => Array.Empty<string>(),
            DefaultText = "[]",
        },
    ];

    private static (object? Value, string? Error) ParseUmask(string text)
    {
        var trimmed = text.Trim();
        try
        {
            if (trimmed.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
            {
                return (Convert.ToInt32(trimmed[2..], 8), null);
            }
            if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                return (Convert.ToInt32(trimmed[2..], 16), null);
            }
            if (trimmed.Length > 1 && trimmed[0] == '0')
            {
                return (Convert.ToInt32(trimmed[1..], 8), null);
            }
            return (int.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture), null);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return (null, $"'{text}' is not a umask; use octal such as 022 or 0o022");
        }
    }
}
