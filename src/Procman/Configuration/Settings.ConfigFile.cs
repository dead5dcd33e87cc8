namespace Procman.Configuration;

internal static partial class Settings
{
    public const string Config = "config";

    /// <summary>Read when neither -c nor PROCMAN_CMD_ARGS names a config file.</summary>
    public const string DefaultConfigFile = "./procman.conf.py";

    private static SettingDefinition[] ConfigFile =>
    [
        new()
        {
            Name = Config,
            Type = SettingType.Text,
            Section = "Config file",
            Flags = ["--config", "-c"],
            ValueName = "PATH",
            Help = "A config file in Gunicorn's syntax (a safe subset of Python). Without it, ./procman.conf.py is read if it exists.",
            Default = () => DefaultConfigFile,
            DefaultText = "'./procman.conf.py'",
        },
    ];
}
