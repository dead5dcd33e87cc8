using System.Globalization;
using Procman.Configuration;

namespace Procman.Control;

/// <summary>
/// Where the control socket is. Set, it is control_socket; unset, the pidfile's path with <c>.ctl</c>, else
/// NAME.ctl for a proc_name or procman.PID.ctl in the runtime directory: two procman instances on one host
/// never share a default path, and one started twice with the same pidfile or name is refused.
/// </summary>
internal static class ControlSocketPath
{
    public const string Extension = ".ctl";

    /// <summary>The prefix of the default, pid-named sockets a client looks for when it knows no name.</summary>
    public const string PidNamedPrefix = "procman.";

    /// <summary>The path, or null when it is named by a master pid that is not known (a client then looks for it).</summary>
    public static string? Of(ProcmanOptions options, IEnvironment environment, uint effectiveUser, int? masterPid)
    {
        if (options.ControlSocket is { } configured)
        {
            return Path.GetFullPath(configured, Path.GetFullPath(options.Chdir));
        }
        if (options.PidFile is { } pidFile)
        {
            return Path.ChangeExtension(Path.GetFullPath(pidFile, Path.GetFullPath(options.Chdir)), Extension);
        }
        var directory = RuntimeDirectory(environment, effectiveUser);
        if (options.ProcName is { } name)
        {
            return Path.Combine(directory, name + Extension);
        }
        return masterPid is int pid ? Path.Combine(directory, PidNamedPrefix + pid.ToString(CultureInfo.InvariantCulture) + Extension) : null;
    }

    /// <summary>$XDG_RUNTIME_DIR/procman for a login session, /run/procman for root, /tmp/procman-UID otherwise.</summary>
    public static string RuntimeDirectory(IEnvironment environment, uint effectiveUser)
        => environment.Get("XDG_RUNTIME_DIR") is { Length: > 0 } runtime
            ? Path.Combine(runtime, "procman")
            : effectiveUser == 0 ? "/run/procman" : $"/tmp/procman-{effectiveUser.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The master pid in a pid-named socket's file name, or null for another name.</summary>
    public static int? PidOf(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith(PidNamedPrefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal)
            && int.TryParse(name[PidNamedPrefix.Length..^Extension.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? pid
                : null;
    }
}
