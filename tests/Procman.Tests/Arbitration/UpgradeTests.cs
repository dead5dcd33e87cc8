using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Signals;

namespace Procman.Tests.Arbitration;

public sealed class UpgradeTests
{
    private const int RefusedId = 133;
    private const int FailedId = 132;

    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly FakeMasterUpgrade _upgrade = new();
    private readonly RecordingLogger<Arbiter> _logger = new();

    [Fact]
    public void Usr2_StartsANewMaster_AndTheOldDrainsOnlyOnceItIsReady()
    {
        var (arbiter, worker) = Serving();

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));
        Assert.Equal(["Start"], _upgrade.Calls);
        Assert.Empty(worker.Sent);

        arbiter.Handle(new ArbiterEvent.NewMasterReady(FakeMasterUpgrade.NewMasterPid));

        Assert.Equal(["Start", "HandOver"], _upgrade.Calls);
        Assert.Equal(ArbiterSteps.GracefulDrain, Assert.Single(worker.Sent));
        Assert.Equal(ArbiterPhase.HandedOver, arbiter.Status().Phase);
        arbiter.Exit(worker, 0);
        Assert.True(arbiter.IsFinished);
        Assert.Equal((ExitCodes.Success, null), arbiter.Outcome);
    }

    [Fact]
    public void ASecondUsr2_WhileTheFirstIsUnderWay_IsRefused()
    {
        var (arbiter, _) = Serving();
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));

        Assert.Equal(["Start"], _upgrade.Calls);
        Assert.Contains(_logger.Events, e => e.Id == RefusedId && e.Message.Contains("already under way (new master pid 4242)"));
    }

    [Fact]
    public void Usr2_AsPid1_IsRefused_WithTheReason()
    {
        var (arbiter, _) = Serving();
        _upgrade.Obstacle = "procman is PID 1";

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));

        Assert.Empty(_upgrade.Calls);
        Assert.Single(_logger.Events, e => e.Id == RefusedId && e.Message.Contains("procman is PID 1"));
    }

    [Fact]
    public void ANewMasterThatExitsBeforeItIsReady_IsGivenUp_AndTheOldKeepsServing()
    {
        var (arbiter, worker) = Serving();
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));

        arbiter.Handle(new ArbiterEvent.NewMasterExited(FakeMasterUpgrade.NewMasterPid, new WorkerExit(ExitCodes.UsageError)));

        Assert.Equal(["Start", "Abandon"], _upgrade.Calls);
        Assert.Contains(_logger.Events, e => e.Id == FailedId && e.Message.Contains("exit code 2 (invalid command line or configuration"));
        Assert.Empty(worker.Sent);
        Assert.Equal(ArbiterPhase.Serving, arbiter.Status().Phase);
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));
        Assert.Equal(["Start", "Abandon", "Start"], _upgrade.Calls);
    }

    [Fact]
    public void ANewMasterNotReadyInTime_IsGivenUp_ThenKilledIfItDoesNotStop()
    {
        var (arbiter, worker) = Serving();
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));

        _time.Advance(TimeSpan.FromSeconds(120 + 30));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Equal(["Start", "Abandon"], _upgrade.Calls);
        Assert.Contains(_logger.Events, e => e.Id == FailedId && e.Message.Contains("was not ready within 150 s"));

        _time.Advance(TimeSpan.FromSeconds(30 + 5));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Equal(["Start", "Abandon", "Kill"], _upgrade.Calls);
        // A "ready" from the given-up master changes nothing.
        arbiter.Handle(new ArbiterEvent.NewMasterReady(FakeMasterUpgrade.NewMasterPid));
        Assert.Empty(worker.Sent);
    }

    [Fact]
    public void Hup_DuringAnUpgrade_IsRefused_AndStartsNoWorker()
    {
        var (arbiter, _) = Serving();
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));

        Assert.Single(_launcher.Launched);
        Assert.Contains(_logger.Events, e => e.Message.Contains("send SIGHUP to the new master once it has taken over"));
    }

    [Fact]
    public void Term_DuringAnUpgrade_StopsTheNewMasterToo()
    {
        var (arbiter, worker) = Serving();
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Usr2));

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));
        arbiter.Handle(new ArbiterEvent.NewMasterReady(FakeMasterUpgrade.NewMasterPid));

        Assert.Equal(["Start", "Abandon"], _upgrade.Calls);
        Assert.Equal(ArbiterPhase.Stopping, arbiter.Status().Phase);
        Assert.Equal(ArbiterSteps.GracefulDrain, Assert.Single(worker.Sent));
    }

    private (Arbiter Arbiter, FakeWorkerLauncher.FakeWorker Worker) Serving()
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = 1,
            Timeout = TimeSpan.Zero,
        };
        var arbiter = new Arbiter(new FakeWorkerPlans(options, _launcher), Channel.CreateUnbounded<ArbiterEvent>(), _time, _logger, upgrader: _upgrade);
        arbiter.Start();
        return (arbiter, arbiter.Ready(_launcher.Launched[0]));
    }
}
