using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Control;
using Procman.Protocol;
using Procman.Signals;

namespace Procman.Tests.Arbitration;

public sealed class RollingReloadTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private FakeWorkerPlans _plans = null!;
    private Arbiter _arbiter = null!;

    [Fact]
    public void RollingReload_BootsOneNewWorkerAtATime_RetiringAnOldOneAsEachIsReady()
    {
        var old = CreateRunning(workers: 3, batch: 1);

        Hup();
        var fresh = new List<FakeWorkerLauncher.FakeWorker> { Assert.Single(Launched(after: 3)) };
        for (var step = 0; step < 3; step++)
        {
            AssertBounds(serving: 3, processes: 4);
            Ready(fresh[step]);
            AssertBounds(serving: 3, processes: 4);
            var retired = Assert.Single(old, w => w.Sent.Contains(ArbiterSteps.GracefulDrain) && _arbiter.Workers.Any(x => x.Pid == w.Pid));
            Assert.Equal(step + 1, retired.Slot);
            if (step < 2)
            {
                // The next one boots only once the retired worker is gone, so the processes stay at workers + 1.
                Assert.Equal(3 + step + 1, _launcher.Launched.Count);
            }
            Exit(retired, 0);
            if (step < 2)
            {
                fresh.Add(Assert.Single(Launched(after: 3 + step + 1)));
            }
        }

        Assert.Equal([1, 2, 3], fresh.Select(w => w.Slot));
        Assert.Equal(fresh.Select(w => w.Pid), _arbiter.Workers.Select(w => w.Pid).Order());
        Assert.All(_arbiter.Workers, w => Assert.Equal(1, w.Generation));
        Assert.Equal(1, Status().Reloads.Completed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void EveryWorkerAReloadReplaced_CountsAsARestartOfItsSlotForReload_RollingOrNot(int batch)
    {
        var old = CreateRunning(workers: 2, batch: batch);

        Hup();
        while (_arbiter.Workers.Any(w => w.Generation == 0))
        {
            foreach (var fresh in _launcher.Launched.Skip(2).Where(w => _arbiter.Workers.Any(x => x.Pid == w.Pid && x.State is WorkerState.Starting)).ToArray())
            {
                Ready(fresh);
            }
            foreach (var retired in old.Where(w => w.Sent.Contains(ArbiterSteps.GracefulDrain) && _arbiter.Workers.Any(x => x.Pid == w.Pid)).ToArray())
            {
                Exit(retired, 0);
            }
        }

        var status = Status();
        Assert.Equal(2, status.Restarts[RestartReason.Reload]);
        Assert.All(status.Workers, w => Assert.Equal(1, w.Restarts));
    }

    [Fact]
    public void RollingReload_WithABatchOfTwo_BootsTwoAtATime()
    {
        CreateRunning(workers: 4, batch: 2);

        Hup();

        Assert.Equal([1, 2], Launched(after: 4).Select(w => w.Slot));
    }

    [Fact]
    public void ReloadBatch_OfTheWholeCountOrMore_BootsEveryNewWorkerAtOnce_AsWithoutIt()
    {
        var old = CreateRunning(workers: 2, batch: 2);

        Hup();
        var fresh = Launched(after: 2);
        Ready(fresh[0]);

        Assert.Equal(2, fresh.Length);
        Assert.All(old, w => Assert.Empty(w.Sent));
    }

    [Fact]
    public void RollingReload_WhenANewWorkerFailsMidRoll_AnswersWhy_KeepsServing_ThenGoesBackToTheRunningConfiguration()
    {
        var old = CreateRunning(workers: 3, batch: 1);
        var reply = Send(new ControlRequest { Command = ControlRequest.Reload, Wait = true });
        var first = Ready(Assert.Single(Launched(after: 3)));
        Exit(old[0], 0);

        Exit(Assert.Single(Launched(after: 4)), 1);

        var response = Completed(reply);
        Assert.False(response.Ok);
        Assert.StartsWith("reload failed: new worker 2", response.Error);
        Assert.Equal(1, Status().Reloads.Failed);
        AssertBounds(serving: 3, processes: 3);
        Assert.Empty(first.Sent);

        // On the next tick the worker left from the failed reload is replaced, overlapped, by one of the running configuration.
        Tick();
        var back = Assert.Single(Launched(after: 5));
        Assert.Equal(1, back.Slot);
        Assert.Empty(first.Sent);
        Ready(back);
        Assert.Contains(ArbiterSteps.GracefulDrain, first.Sent);
        Exit(first, 0);
        Tick();
        Assert.Equal(6, _launcher.Launched.Count);
        Assert.All(_arbiter.Workers, w => Assert.Equal(0, w.Generation));
        Assert.Equal([1, 2, 3], _arbiter.Workers.Select(w => w.Slot).Order());
    }

    [Fact]
    public void RollingReload_WhenANewWorkerDoesNotBootInTime_FailsTheReload_AndTheOldWorkersKeepServing()
    {
        var old = CreateRunning(workers: 2, batch: 1, bootTimeout: TimeSpan.FromSeconds(10));

        Hup();
        var slow = Assert.Single(Launched(after: 2));
        _time.Advance(TimeSpan.FromSeconds(10));
        Tick();
        Assert.Equal([HandleAction.Kill], slow.Actions);
        Exit(slow, 137);

        Assert.Equal(old.Select(w => w.Pid), _arbiter.Workers.Select(w => w.Pid));
        Assert.All(old, w => Assert.Empty(w.Sent));
        Assert.Equal(1, Status().Reloads.Failed);
    }

    [Fact]
    public void OldWorkerCrashingMidRoll_IsNotStartedAgainInTheOldGeneration_ANewWorkerTakesItsPlace()
    {
        var old = CreateRunning(workers: 3, batch: 1);
        Hup();
        var first = Assert.Single(Launched(after: 3));

        Exit(old[2], 137);
        _time.Advance(TimeSpan.FromSeconds(5));
        Tick();
        Assert.Equal(4, _launcher.Launched.Count);
        Ready(first);

        // The new worker made up for the crashed one: no old one retires yet, and the next new one boots at once.
        Assert.Empty(old[0].Sent);
        Assert.Empty(old[1].Sent);
        var next = Assert.Single(Launched(after: 4));
        Assert.Equal(1, _arbiter.Workers.Single(w => w.Pid == next.Pid).Generation);
        // The crashed worker's slot first: under reuse_port its queue has nobody accepting.
        Assert.Equal(3, next.Slot);
    }

    [Fact]
    public void RollingReload_FailingAfterAnOldWorkerCrashed_StartsThatSlotAgainInTheRunningConfiguration()
    {
        var old = CreateRunning(workers: 2, batch: 1);
        Hup();
        Exit(old[1], 137);

        Exit(Assert.Single(Launched(after: 2)), 1);

        var again = Assert.Single(Launched(after: 3));
        Assert.Equal(2, again.Slot);
        Assert.Equal(0, _arbiter.Workers.Single(w => w.Pid == again.Pid).Generation);
        Assert.Equal(1, Status().Reloads.Failed);
    }

    [Fact]
    public void ALeftOverWorker_WhoseReplacementFailsToBoot_KeepsServing_AndIsTriedAgainLater()
    {
        var old = CreateRunning(workers: 2, batch: 1);
        Hup();
        var first = Ready(Assert.Single(Launched(after: 2)));
        Exit(old[0], 0);
        Exit(Assert.Single(Launched(after: 3)), 1);
        Tick();
        var back = Assert.Single(Launched(after: 4));

        Exit(back, 1);

        Assert.IsType<WorkerState.Ready>(_arbiter.Workers.Single(w => w.Pid == first.Pid).State);
        Tick();
        Assert.Equal(5, _launcher.Launched.Count);
        _time.Advance(RecyclePolicy.RetryAfterFailure);
        Tick();
        Assert.Equal(1, Assert.Single(Launched(after: 5)).Slot);
    }

    [Fact]
    public void RollingReload_WaitingForARetiringWorker_ReportsItsDeadline_SoThatSystemdWaitsAsLong()
    {
        CreateRunning(workers: 2, batch: 1);
        Hup();
        Ready(Assert.Single(Launched(after: 2)));

        var status = _arbiter.Status();

        Assert.Equal(ArbiterPhase.Reloading, status.Phase);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30) + TimeSpan.FromSeconds(5), status.Deadline);
    }

    [Fact]
    public void Scaling_DuringARollingReload_IsRefused()
    {
        CreateRunning(workers: 2, batch: 1);
        Hup();

        _arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Ttin));
        _arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Ttou));

        Assert.Equal(3, _launcher.Launched.Count);
        Assert.Equal(2, Status().TargetWorkers);
    }

    [Fact]
    public void HupDuringARollingReload_RunsAnotherReloadOnceItCompletes()
    {
        var old = CreateRunning(workers: 2, batch: 1);
        Hup();
        Hup();

        Ready(_launcher.Launched[2]);
        Exit(old[0], 0);
        Ready(_launcher.Launched[3]);
        Assert.Equal(4, _launcher.Launched.Count);
        Exit(old[1], 0);

        var next = Assert.Single(Launched(after: 4));
        Assert.Equal(2, _arbiter.Workers.Single(w => w.Pid == next.Pid).Generation);
    }

    [Fact]
    public void MaxRequestsOfAnOldWorker_DuringARollingReload_RecyclesNothing_TheRollReplacesIt()
    {
        var old = CreateRunning(workers: 2, batch: 1);
        Hup();

        _arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(old[1].Key, new WorkerMessage.MaxRequestsReached(100, 100)));
        Tick();

        Assert.Equal(3, _launcher.Launched.Count);
        Assert.All(_arbiter.Workers, w => Assert.IsNotType<WorkerState.Recycling>(w.State));
    }

    [Fact]
    public void RollingReload_ToMoreWorkers_RetiresEveryOldOne_AndBootsTheRestWithinTheBatch()
    {
        var old = CreateRunning(workers: 2, batch: 1);
        _plans.NextOptions = _plans.Current.Options with { Workers = 4 };

        Hup();
        for (var step = 0; step < 4; step++)
        {
            var worker = Assert.Single(Launched(after: 2 + step));
            Assert.True(_arbiter.Workers.Count <= 5);
            Ready(worker);
            foreach (var retired in old.Where(w => w.Sent.Count > 0 && _arbiter.Workers.Any(x => x.Pid == w.Pid)))
            {
                Exit(retired, 0);
            }
        }

        Assert.Equal([1, 2, 3, 4], _arbiter.Workers.Select(w => w.Slot).Order());
        Assert.All(_arbiter.Workers, w => Assert.Equal(1, w.Generation));
        Assert.Equal(4, Status().TargetWorkers);
    }

    [Fact]
    public void RollingReload_ToFewerWorkers_RetiresTheOldOnesLeftOnceTheNewOnesAreReady()
    {
        var old = CreateRunning(workers: 4, batch: 1);
        _plans.NextOptions = _plans.Current.Options with { Workers = 2 };

        Hup();
        Ready(Assert.Single(Launched(after: 4)));
        AssertBounds(serving: 4, processes: 5);
        Exit(old[0], 0);
        Ready(Assert.Single(Launched(after: 5)));
        AssertBounds(serving: 2, processes: 5);

        Assert.All(old.Skip(1), w => Assert.Contains(ArbiterSteps.GracefulDrain, w.Sent));
        Assert.Equal(2, Status().TargetWorkers);
    }

    private FakeWorkerLauncher.FakeWorker[] Launched(int after) => _launcher.Launched.Skip(after).ToArray();

    /// <summary>At least <paramref name="serving"/> workers accept, and no more than <paramref name="processes"/> run.</summary>
    private void AssertBounds(int serving, int processes)
    {
        Assert.True(_arbiter.Workers.Count(w => w.State.IsServing) >= serving, $"fewer than {serving} serving");
        Assert.True(_arbiter.Workers.Count <= processes, $"more than {processes} processes");
    }

    private void Hup() => _arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));

    private void Tick() => _arbiter.Handle(new ArbiterEvent.Tick());

    private FakeWorkerLauncher.FakeWorker Ready(FakeWorkerLauncher.FakeWorker worker) => _arbiter.Ready(worker);

    private void Exit(FakeWorkerLauncher.FakeWorker worker, int code) => _arbiter.Exit(worker, code);

    private MasterSnapshot Status() => Completed(Send(new ControlRequest { Command = ControlRequest.Status })).Status!;

    private TaskCompletionSource<ControlResponse> Send(ControlRequest request)
    {
        var reply = new TaskCompletionSource<ControlResponse>();
        _arbiter.Handle(new ArbiterEvent.Control(request, reply));
        return reply;
    }

    private static ControlResponse Completed(TaskCompletionSource<ControlResponse> reply)
    {
        // The loop answers synchronously or through a continuation on the thread pool; bound the wait for the latter.
        Assert.True(reply.Task.Wait(TimeSpan.FromSeconds(10)), "no answer");
        return reply.Task.Result;
    }

    private FakeWorkerLauncher.FakeWorker[] CreateRunning(int workers, int batch, TimeSpan? bootTimeout = null)
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = workers,
            ReloadBatch = batch,
            GracefulTimeout = TimeSpan.FromSeconds(30),
            // No heartbeat check: the fake clock moves on without heartbeats.
            Timeout = TimeSpan.Zero,
            BootTimeout = bootTimeout ?? TimeSpan.FromSeconds(120),
            Environment = [],
            LogLevel = "info",
            LogFormat = "text",
        };
        _plans = new FakeWorkerPlans(options, _launcher);
        _arbiter = new Arbiter(_plans, Channel.CreateUnbounded<ArbiterEvent>(), _time, NullLogger<Arbiter>.Instance);
        _arbiter.Start();
        var started = _launcher.Launched.ToArray();
        Array.ForEach(started, w => _arbiter.Ready(w));
        return started;
    }
}
