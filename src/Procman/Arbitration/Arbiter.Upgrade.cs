using Microsoft.Extensions.Logging;

namespace Procman.Arbitration;

internal sealed partial class Arbiter
{
    // Beyond boot_timeout (which the new master's own workers get), the time a new master gets to start, read its
    // configuration and bind: a master that is not ready by then is given up.
    private static readonly TimeSpan UpgradeMargin = TimeSpan.FromSeconds(30);

    private readonly IMasterUpgrade? _upgrader;

    /// <summary>A new master started on SIGUSR2 that has not taken over yet (or has failed and not exited yet).</summary>
    private Upgrade? _upgrade;

    /// <summary>A new master took over: this one drains its workers and exits, telling a service manager nothing more.</summary>
    private bool _handedOver;

    /// <summary>
    /// SIGUSR2: start a new master (the same procman, arguments and configuration file, read afresh) on the same
    /// sockets, and stop this one only once the new one's workers are all ready, as Gunicorn and Unicorn do.
    /// </summary>
    private void BeginUpgrade()
    {
        string? refusal = _upgrader is null ? "this procman cannot start a new master"
            : _stop is not null ? "procman is stopping"
            : _upgrader.Obstacle is { } obstacle ? obstacle
            : _upgrade is { Failed: false } running ? $"an upgrade is already under way (new master pid {running.Pid})"
            : _upgrade is { } failed ? $"the new master of the failed upgrade (pid {failed.Pid}) has not exited yet"
            : _reload is not null ? "a reload is in progress; send SIGUSR2 again once it has completed"
            : null;
        if (refusal is not null)
        {
            LogUpgradeRefused(refusal);
            return;
        }
        int pid;
        try
        {
            pid = _upgrader!.Start();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUpgradeFailed($"cannot start a new master: {ex.Message}", ServingWorkers());
            return;
        }
        var now = _time.GetUtcNow();
        _upgrade = new Upgrade(pid, now, now + Options.BootTimeout + UpgradeMargin);
        LogUpgradeStarted(pid, (Options.BootTimeout + UpgradeMargin).TotalSeconds);
    }

    private void OnNewMasterReady(int pid)
    {
        if (_upgrade is not { Failed: false } upgrade || upgrade.Pid != pid || _stop is not null)
        {
            return;
        }
        // From here the new master serves alone: its exit is no business of this one's.
        _upgrade = null;
        _handedOver = true;
        LogUpgradeHandedOver(pid, (_time.GetUtcNow() - upgrade.StartedAt).TotalSeconds, _workers.Count);
        // Stopping first: a stopping master starts no process, so nothing inherits the sockets it now closes.
        BeginStop(quick: false, ExitCodes.Success, error: null);
        _upgrader!.HandOver();
    }

    private void OnNewMasterExited(int pid, WorkerExit exit)
    {
        if (_upgrade is not { } upgrade || upgrade.Pid != pid)
        {
            return;
        }
        _upgrade = null;
        if (upgrade.Failed)
        {
            LogAbandonedMasterExited(pid, exit.ToString());
            return;
        }
        var meaning = exit.Code is int code ? $" ({ExitCodes.Meaning(code)}; its own error is logged above)" : "";
        FailUpgrade(upgrade, $"the new master (pid {pid}) ended before its workers were ready: {exit}{meaning}");
    }

    /// <summary>On every tick: a new master that is not ready in time is given up, and one that does not stop then, killed.</summary>
    private void CheckUpgrade(DateTimeOffset now)
    {
        switch (_upgrade)
        {
            case { Failed: false } upgrade when now >= upgrade.ReadyBy:
                FailUpgrade(upgrade, $"the new master (pid {upgrade.Pid}) was not ready within {(upgrade.ReadyBy - upgrade.StartedAt).TotalSeconds:0} s (boot_timeout and {UpgradeMargin.TotalSeconds:0} s)");
                break;
            case { Failed: true, KillAt: { } killAt } upgrade when now >= killAt:
                LogKillingNewMaster(upgrade.Pid);
                upgrade.KillAt = null;
                _upgrader!.Kill();
                break;
        }
    }

    /// <summary>The new master is given up: this one keeps serving, and its pidfile names it again.</summary>
    private void FailUpgrade(Upgrade upgrade, string reason)
    {
        upgrade.Failed = true;
        upgrade.KillAt = _time.GetUtcNow() + Options.GracefulTimeout + KillMargin;
        _upgrader!.Abandon();
        LogUpgradeFailed(reason, ServingWorkers());
    }

    /// <summary>A stop (TERM, INT, QUIT) during an upgrade: the new master is asked to stop too, and this one stops as asked.</summary>
    private void AbandonUpgradeForStop()
    {
        if (_upgrade is { Failed: false } upgrade)
        {
            FailUpgrade(upgrade, "procman was asked to stop; the new master is stopped too");
        }
    }

    /// <summary>A reload during an upgrade would change the master about to be replaced: refused, with what to do instead.</summary>
    private string? UpgradeBlocksReload()
        => _upgrade is { Failed: false } upgrade
            ? $"an upgrade is under way (new master pid {upgrade.Pid}); send SIGHUP to the new master once it has taken over"
            : null;

    private int ServingWorkers() => _workers.Values.Count(w => w.State.IsServing);

    private sealed record Upgrade(int Pid, DateTimeOffset StartedAt, DateTimeOffset ReadyBy)
    {
        /// <summary>Given up: its exit is awaited (and the pidfile names this master again).</summary>
        public bool Failed { get; set; }

        /// <summary>When a given-up new master that has not exited is killed.</summary>
        public DateTimeOffset? KillAt { get; set; }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Upgrade: started a new master, pid {Pid}, on the same sockets; this master serves until the new one's workers are all ready (at most {Seconds:0} s)")]
    private partial void LogUpgradeStarted(int pid, double seconds);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "Upgrade: the new master (pid {Pid}) is ready after {Seconds:0.00} s and serves from now on; draining this master's {Workers} worker(s), then exiting")]
    private partial void LogUpgradeHandedOver(int pid, double seconds, int workers);

    [LoggerMessage(EventId = 132, Level = LogLevel.Error, Message = "Upgrade failed: {Reason}; this master keeps serving with {Serving} worker(s), and the pidfile names it again")]
    private partial void LogUpgradeFailed(string reason, int serving);

    [LoggerMessage(EventId = 133, Level = LogLevel.Warning, Message = "Received SIGUSR2: upgrade refused: {Reason}")]
    private partial void LogUpgradeRefused(string reason);

    [LoggerMessage(EventId = 134, Level = LogLevel.Warning, Message = "Upgrade: the new master (pid {Pid}) did not stop after the failed upgrade; killing it")]
    private partial void LogKillingNewMaster(int pid);

    [LoggerMessage(EventId = 135, Level = LogLevel.Information, Message = "Upgrade: the new master of the failed upgrade (pid {Pid}) exited: {Exit}")]
    private partial void LogAbandonedMasterExited(int pid, string exit);
}
