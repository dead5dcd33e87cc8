using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Control;
using Procman.Protocol;
using Procman.Signals;

namespace Procman.Tests.Arbitration;

public sealed class ShutdownDelayTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();

    [Fact]
    public void Term_KeepsServingForTheDelay_InTheShutdownDelayPhase_ThenDrains()
    {
        var arbiter = Create(delay: TimeSpan.FromSeconds(5));
        arbiter.Start();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));
        Assert.Equal(ArbiterPhase.ShutdownDelay, arbiter.Status().Phase);
        _time.Advance(TimeSpan.FromSeconds(4.8));
        arbiter.Handle(new ArbiterEvent.Tick());
        Assert.Empty(worker.Sent);
        Assert.Empty(worker.Actions);

        _time.Advance(TimeSpan.FromSeconds(0.2));
        arbiter.Handle(new ArbiterEvent.Tick());

        Assert.Equal(new MasterMessage.Drain(TimeSpan.FromSeconds(30)), Assert.Single(worker.Sent));
        Assert.Equal(ArbiterPhase.Stopping, arbiter.Status().Phase);
    }

    [Fact]
    public void DuringTheDelay_TheStatusSaysSo_AndReadinessFails_WhileTheWorkersServe()
    {
        var arbiter = Create(delay: TimeSpan.FromSeconds(5));
        arbiter.Start();
        arbiter.Ready(_launcher.Launched[0]);
        Assert.True(AdminEndpoint.Readiness(Snapshot(arbiter), readyWorkers: 1).Ready);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));

        var status = Snapshot(arbiter);
        Assert.Equal("shutdown-delay", status.State);
        Assert.Equal(1, status.CountIn("ready"));
        Assert.Equal((false, "shutdown-delay"), AdminEndpoint.Readiness(status, readyWorkers: 1));
    }

    [Fact]
    public void CrashDuringTheDelay_IsStillReplaced()
    {
        var arbiter = Create(delay: TimeSpan.FromSeconds(5));
        arbiter.Start();
        var worker = arbiter.Ready(_launcher.Launched[0]);
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));

        arbiter.Exit(worker, 137);

        Assert.Equal(2, _launcher.Launched.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ASecondStopSignal_DuringTheDelay_StopsAtOnce(bool term)
    {
        var arbiter = Create(delay: TimeSpan.FromSeconds(5));
        arbiter.Start();
        var worker = arbiter.Ready(_launcher.Launched[0]);
        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));

        arbiter.Handle(new ArbiterEvent.SignalReceived(term ? MasterSignal.Term : MasterSignal.Int));

        Assert.Equal(ArbiterPhase.Stopping, arbiter.Status().Phase);
        Assert.True(worker.Sent.Count + worker.Actions.Count == 1);
    }

    private static MasterSnapshot Snapshot(Arbiter arbiter)
    {
        var reply = new TaskCompletionSource<ControlResponse>();
        arbiter.Handle(new ArbiterEvent.Control(new ControlRequest { Command = ControlRequest.Status }, reply));
        Assert.True(reply.Task.Wait(TimeSpan.FromSeconds(10)), "no answer");
        return reply.Task.Result.Status!;
    }

    private Arbiter Create(TimeSpan delay)
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = 1,
            ShutdownDelay = delay,
            Timeout = TimeSpan.Zero,
        };
        return new Arbiter(new FakeWorkerPlans(options, _launcher), Channel.CreateUnbounded<ArbiterEvent>(), _time, NullLogger<Arbiter>.Instance);
    }
}
