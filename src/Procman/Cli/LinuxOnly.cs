namespace Procman.Cli;

/// <summary>
/// procman runs on Linux only: it shares sockets by fd inheritance, reads /proc, and calls libc (posix_spawn,
/// SO_PEERCRED, prctl) as Linux defines them. Anywhere else it says so in one line instead of failing later in a
/// way that names none of this.
/// </summary>
internal static class LinuxOnly
{
    /// <summary>The error line for an OS that is not Linux, or null on Linux.</summary>
    /// <param name="isLinux">Whether this is Linux (<see cref="OperatingSystem.IsLinux"/>; a test passes its own).</param>
    /// <param name="description">The OS as the runtime describes it, named in the line.</param>
    public static string? Problem(bool isLinux, string description)
        => isLinux
            ? null
            : $"procman runs on Linux only, and this is {description}; run it on a Linux host, in a Linux container, or under WSL 2";
}
