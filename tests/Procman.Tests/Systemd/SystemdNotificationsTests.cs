using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Systemd;
using Procman.Tests.Arbitration;
using Procman.Tests.Configuration;
using Procman.Protocol;
using Procman.Signals;

namespace Procman.Tests.Systemd;

public sealed class SystemdNotificationsTests
{
    private const int MasterPid = 4242;

    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly FakeSystemdNotifier _notifier = new();
    private FakeWorkerPlans _plans = null!;

    [Fact]
    public void Boot_SendsReadyWithTheMainPid_OnlyOnceEveryWorkerIsReady()
    {
        var arbiter = Create(workers: 2);
        arbiter.Start();
        arbiter.Ready(_launcher.Launched[0]);
        Assert.DoesNotContain("READY=1", _notifier.Fields);
        Assert.Contains("STATUS=booting: 1/2 workers ready", _notifier.Fields);

        arbiter.Ready(_launcher.Launched[1]);

        Assert.Equal(["EXTEND_TIMEOUT_USEC", "MAINPID", "READY"], _notifier.States);
        Assert.Contains($"MAINPID={MasterPid}", _notifier.Fields);
        Assert.Equal("STATUS=2/2 workers ready, generation 0", _notifier.Fields.Last(field => field.StartsWith("STATUS=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Boot_ExtendsTheStartTimeout_ToTheBootTimeoutAndAMargin()
    {
        var arbiter = Create(workers: 1, bootTimeout: TimeSpan.FromSeconds(300));

        arbiter.Start();

        Assert.Contains("EXTEND_TIMEOUT_USEC=305000000", _notifier.Fields);
    }

    [Fact]
    public void Reload_SendsReloadingWithTheMonotonicClock_ThenReadyOnceTheNewWorkersAreReady()
    {
        var arbiter = Booted(workers: 1);
        _time.Advance(TimeSpan.FromSeconds(3));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        var reloading = _notifier.Messages[0];
        var expected = (long)_time.GetElapsedTime(0).TotalMicroseconds;
        Assert.Equal($"RELOADING=1\nMONOTONIC_USEC={expected}", reloading);
        arbiter.Ready(_launcher.Launched[1]);

        Assert.Equal(["RELOADING", "MONOTONIC_USEC", "EXTEND_TIMEOUT_USEC", "READY"], _notifier.States);
        Assert.Contains("STATUS=1/1 workers ready, generation 1", _notifier.Fields);
    }

    [Fact]
    public void RefusedReload_SendsReadyRightAfterReloading()
    {
        var arbiter = Booted(workers: 1);
        _plans.NextError = "bind: invalid address";

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));

        Assert.Equal(2, _notifier.Messages.Count);
        Assert.StartsWith("RELOADING=1\n", _notifier.Messages[0], StringComparison.Ordinal);
        Assert.Equal("READY=1", _notifier.Messages[1]);
    }

    [Fact]
    public void FailedReload_SendsReadyAsTheOldWorkersKeepServing()
    {
        var arbiter = Booted(workers: 1);
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));

        arbiter.Exit(_launcher.Launched[1], 1);

        Assert.Equal(["RELOADING", "MONOTONIC_USEC", "EXTEND_TIMEOUT_USEC", "READY"], _notifier.States);
    }

    [Fact]
    public void Stop_SendsStoppingOnce_AndExtendsTheStopTimeoutToTheGracefulBound()
    {
        var arbiter = Booted(workers: 1);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));
        arbiter.Handle(new ArbiterEvent.Tick());

        Assert.Equal(["STOPPING", "EXTEND_TIMEOUT_USEC"], _notifier.States);
        // graceful_timeout 30 s, the kill margin 5 s, and the notifier's own 5 s.
        Assert.Contains("EXTEND_TIMEOUT_USEC=40000000", _notifier.Fields);
        Assert.Contains("STATUS=stopping: 1 worker(s) left", _notifier.Fields);
    }

    [Fact]
    public void Watchdog_IsPingedEveryHalfInterval_OnlyWhileAWorkerSendsHeartbeats()
    {
        var arbiter = Booted(workers: 1, watchdog: TimeSpan.FromSeconds(2));

        Ticks(arbiter, count: 10);
        Assert.Equal(2, _notifier.Fields.Count(field => field == "WATCHDOG=1"));

        // The worker's last heartbeat was 2 s ago; once it is silent for longer than a healthy worker ever is,
        // the pings stop.
        Ticks(arbiter, count: 25);
        _notifier.Clear();
        Ticks(arbiter, count: 10);
        Assert.DoesNotContain("WATCHDOG=1", _notifier.Fields);

        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(_launcher.Launched[0].Key, new WorkerMessage.Heartbeat()));
        Assert.Contains("WATCHDOG=1", _notifier.Fields);
    }

    [Theory]
    [InlineData("30000000", null, 15.0)]
    [InlineData("30000000", "4242", 15.0)]
    [InlineData("30000000", "1", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    public void WatchdogInterval_IsHalfOfWatchdogUsec_WhenTheWatchdogIsMeantForThisProcess(string? microseconds, string? pid, double? seconds)
    {
        var variables = new List<(string, string)>();
        if (microseconds is not null)
        {
            variables.Add((SystemdEnvironment.WatchdogMicroseconds, microseconds));
        }
        if (pid is not null)
        {
            variables.Add((SystemdEnvironment.WatchdogPid, pid));
        }

        var interval = SystemdNotifications.WatchdogInterval(new FakeEnvironment([.. variables]), MasterPid);

        Assert.Equal(seconds, interval?.TotalSeconds);
    }

    private void Ticks(Arbiter arbiter, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            arbiter.Handle(new ArbiterEvent.Tick());
        }
    }

    [Fact]
    public void AfterAnUpgradesHandOver_TheOldMasterSendsNothing_NeitherStoppingNorStatusNorWatchdog()
    {
        var arbiter = Booted(workers: 1, watchdog: TimeSpan.FromSeconds(2), upgrader: new FakeMasterUpgrade());
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));
        _notifier.Clear();

        arbiter.Handle(new ArbiterEvent.NewMasterReady(FakeMasterUpgrade.NewMasterPid));
        _time.Advance(TimeSpan.FromSeconds(5));
        arbiter.Handle(new ArbiterEvent.Tick());
        arbiter.Exit(_launcher.Launched[0], 0);

        Assert.Empty(_notifier.Messages);
    }

    private Arbiter Booted(int workers, TimeSpan? watchdog = null, IMasterUpgrade? upgrader = null)
    {
        var arbiter = Create(workers, watchdog: watchdog, upgrader: upgrader);
        arbiter.Start();
        foreach (var worker in _launcher.Launched.ToArray())
        {
            arbiter.Ready(worker);
        }
        _notifier.Clear();
        // The heartbeat that keeps the first worker healthy.
        arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(_launcher.Launched[0].Key, new WorkerMessage.Heartbeat()));
        return arbiter;
    }

    private Arbiter Create(int workers, TimeSpan? bootTimeout = null, TimeSpan? watchdog = null, IMasterUpgrade? upgrader = null)
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = workers,
            BootTimeout = bootTimeout ?? TimeSpan.FromSeconds(120),
        };
        _plans = new FakeWorkerPlans(options, _launcher);
        var notifications = new SystemdNotifications(_notifier, _time, watchdog / 2, MasterPid, NullLogger<SystemdNotifications>.Instance);
        return new Arbiter(_plans, Channel.CreateUnbounded<ArbiterEvent>(), _time, NullLogger<Arbiter>.Instance, observer: notifications, upgrader: upgrader);
    }
}
