using System.Globalization;
using Procman.Configuration;
using Procman.Native;

namespace Procman.Master;

/// <summary>
/// The fds procman's caller left open without close-on-exec: a shell's <c>exec 9&lt;/etc/shadow</c>, a pipe
/// a supervisor forgot. Every process procman starts would inherit them, and the app would hold them.
/// </summary>
/// <remarks>
/// Only the listeners, each worker's channel and stdio may reach a worker: procman clears close-on-exec on
/// those itself, the moment it hands them over. So at start every other inherited fd above stdio gets
/// close-on-exec; it stays open in the master (closing an fd it does not own could break the caller). The fds
/// an operator named with <c>fd://</c> and those systemd passes (LISTEN_FDS, from fd 3) are left alone.
/// </remarks>
internal static class InheritedDescriptors
{
    private const int FirstSystemdFd = 3;

    /// <summary>Sets close-on-exec on every open fd above stdio but those <paramref name="binds"/> and systemd name.</summary>
    public static void Seal(IEnumerable<BindAddress> binds, IEnvironment environment)
    {
        var kept = binds.OfType<BindAddress.FileDescriptor>().Select(bind => bind.Fd).ToHashSet();
        if (SystemdFdCount(environment) is int count)
        {
            kept.UnionWith(Enumerable.Range(FirstSystemdFd, count));
        }
        foreach (var fd in OpenFds())
        {
            if (fd > 2 && !kept.Contains(fd) && Libc.IsInheritable(fd))
            {
                Libc.SetInheritable(fd, inheritable: false);
            }
        }
    }

    private static int? SystemdFdCount(IEnvironment environment)
    {
        var all = environment.All();
        if (!all.TryGetValue("LISTEN_FDS", out var fds) || !int.TryParse(fds, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return null;
        }
        // systemd names the process the fds are for; fds meant for another process are no business of procman's.
        return all.TryGetValue("LISTEN_PID", out var pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture) ? null : count;
    }

    private static int[] OpenFds()
        => [.. Directory.GetFileSystemEntries("/proc/self/fd")
            .Select(entry => int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) ? fd : -1)
            .Where(fd => fd >= 0)];
}
