namespace Procman.Upgrade;

/// <summary>
/// The variables through which a master hands its sockets to the new master it starts on SIGUSR2, as Gunicorn
/// does with GUNICORN_FD and Unicorn with UNICORN_FD: fd numbers, valid in the new master because it inherits
/// them under the same numbers.
/// </summary>
internal static class UpgradeEnvironment
{
    /// <summary>The listening sockets, comma-separated: "3,4".</summary>
    public const string ListenerFds = "PROCMAN_FDS";

    /// <summary>
    /// The worker slots' own sockets of each reuse_port address, "ANCHOR:SLOT=FD:SLOT=FD,...": the new master's worker
    /// of a slot accepts from the same socket as the old one, so no connection queued on it is lost when the old
    /// master's copy closes.
    /// </summary>
    public const string SlotFds = "PROCMAN_SLOT_FDS";

    /// <summary>The new master's end of the socketpair on which it says "ready" and the old one answers "go".</summary>
    public const string ChannelFd = "PROCMAN_UPGRADE_FD";

    /// <summary>The old master's pid: the variables are for its child only, never for a process they leaked to.</summary>
    public const string OldMasterPid = "PROCMAN_UPGRADE_PID";

    /// <summary>The control socket, served by the new master once the old one has let it go.</summary>
    public const string ControlFd = "PROCMAN_CONTROL_FD";

    /// <summary>The admin endpoint's listening socket (admin_bind).</summary>
    public const string AdminFd = "PROCMAN_ADMIN_FD";

    /// <summary>For the new master alone, never for a worker (nor for a master started by a worker's app).</summary>
    public static readonly IReadOnlyList<string> MasterOnly = [ListenerFds, SlotFds, ChannelFd, OldMasterPid, ControlFd, AdminFd];
}
