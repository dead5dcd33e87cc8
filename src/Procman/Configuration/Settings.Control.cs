namespace Procman.Configuration;

internal static partial class Settings
{
    public const string ControlSocket = "control_socket";
    public const string ControlSocketDisable = "control_socket_disable";
    public const string AdminBind = "admin_bind";
    public const string ReadyWorkers = "ready_workers";

    private const string ControlSection = "Control";

    private static SettingDefinition[] Control =>
    [
        new()
        {
            Name = ControlSocket,
            Type = SettingType.Text,
            Section = ControlSection,
            Flags = ["--control-socket"],
            ValueName = "PATH",
            AllowsNone = true,
            Help = "The unix socket procman status, reload, scale, recycle, stop, dump and top talk to (mode 0600; only root and procman's user may use it). "
                + "Unset, it is the pidfile's path with .ctl, else NAME.ctl (proc_name) or procman.PID.ctl in $XDG_RUNTIME_DIR/procman, /run/procman (root) or /tmp/procman-UID.",
            Default = () => null,
            DefaultText = "None (derived, see docs/control.md)",
        },
        new()
        {
            Name = ControlSocketDisable,
            Type = SettingType.Boolean,
            Section = ControlSection,
            Flags = ["--no-control-socket"],
            Help = "Open no control socket; signals still work.",
            Default = () => false,
            DefaultText = "False",
        },
        new()
        {
            Name = AdminBind,
            Type = SettingType.Text,
            Section = ControlSection,
            Flags = ["--admin-bind"],
            ValueName = "HOST:PORT",
            AllowsNone = true,
            Help = "Serve /metrics (Prometheus), /healthz, /readyz and /status over HTTP from the master at this TCP address; keep it on loopback or a private network.",
            Default = () => null,
            DefaultText = "None",
            Validate = value => BindAddress.TryParse((string)value, out var address, out var error)
                ? address is BindAddress.Tcp ? null : $"admin_bind must be a TCP HOST:PORT such as 127.0.0.1:9100, not '{value}'"
                : $"admin_bind: {error}",
        },
        new()
        {
            Name = ReadyWorkers,
            Type = SettingType.Integer,
            Section = ControlSection,
            Flags = ["--ready-workers"],
            ValueName = "INT",
            Help = "/readyz answers 200 once at least this many workers are ready (503 before, while stopping, and with none ready).",
            Default = () => 1,
            DefaultText = "1",
            Validate = value => Between((int)value, 1, 1024, ReadyWorkers),
        },
    ];
}
