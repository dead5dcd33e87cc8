namespace Procman.Configuration;

internal static partial class Settings
{
    public const string Bind = "bind";
    public const string Backlog = "backlog";
    public const string ReusePort = "reuse_port";

    private static SettingDefinition[] ServerSocket =>
    [
        new()
        {
            Name = Bind,
            Type = SettingType.TextList,
            Section = "Server socket",
            Flags = ["--bind", "-b"],
            ValueName = "ADDRESS",
            Help = "Address to listen on: HOST:PORT, [IPv6]:PORT, unix:PATH or fd://N. Repeat to listen on several.",
            Default = () => new[] { $"127.0.0.1:{BindAddress.DefaultPort}" },
            EnvironmentVariable = "PORT",
            FromEnvironment = port => $"0.0.0.0:{port}",
            DefaultText = "['127.0.0.1:8000']",
            Validate = value => ((IEnumerable<string>)value)
                .Select(text => BindAddress.TryParse(text, out _, out var error) ? null : error)
                .FirstOrDefault(error => error is not null)
                ?? (((IReadOnlyList<string>)value).Count == 0 ? "bind needs at least one address" : null),
        },
        new()
        {
            Name = Backlog,
            Type = SettingType.Integer,
            Section = "Server socket",
            Flags = ["--backlog"],
            ValueName = "INT",
            Help = "The maximum number of pending connections on each listening socket.",
            Default = () => 2048,
            DefaultText = "2048",
            Validate = value => Between((int)value, 1, 65535, Backlog),
        },
        new()
        {
            Name = ReusePort,
            Type = SettingType.Boolean,
            Section = "Server socket",
            Flags = ["--reuse-port"],
            Help = "Give each worker slot its own SO_REUSEPORT socket on every TCP address, kept by the master across that slot's workers, so the kernel spreads new connections evenly; off, the workers share one accept queue. Cannot change on a reload.",
            Default = () => false,
            DefaultText = "False",
        },
    ];
}
