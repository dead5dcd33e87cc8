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

    /// <summary>
    /// Why the runtime directory cannot hold procman's control socket, or null when it can: it must be a directory
    /// (not a symlink) owned by <paramref name="effectiveUser"/> that no one else may write. One that another user
    /// created first (in /tmp anyone can) would let that user replace the socket and answer procman's clients.
    /// </summary>
    public static string? RuntimeDirectoryProblem(string directory, uint effectiveUser)
    {
        const uint GroupOrOthersWrite = 0b000_010_010;
        if (Native.FileOwner.Of(directory) is not { } owner)
        {
            return null;
        }
        var fix = "remove it (procman creates it, mode 0700) or set control_socket elsewhere";
        if (!owner.IsDirectory)
        {
            return $"the runtime directory {directory} is not a directory (a symlink or a file); {fix}";
        }
        if (owner.UserId != effectiveUser)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the runtime directory {directory} is owned by uid {owner.UserId}, not by procman's uid {effectiveUser}; {fix}");
        }
        if ((owner.Permissions & GroupOrOthersWrite) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the runtime directory {directory} is writable by its group or by others (mode {Convert.ToString(owner.Permissions, 8)}); {fix}");
        }
        return null;
    }

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
