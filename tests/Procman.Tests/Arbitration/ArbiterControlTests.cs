using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Control;
using Procman.Protocol;

namespace Procman.Tests.Arbitration;

public sealed class ArbiterControlTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private FakeWorkerPlans _plans = null!;

    [Fact]
    public void Status_ListsEveryWorkerWithItsSlotPidAndState()
    {
        var arbiter = Create(workers: 2);
        arbiter.Start();
        arbiter.Ready(_launcher.Launched[0]);

        var status = Ask(arbiter, new ControlRequest { Command = ControlRequest.Status }).Status!;

        Assert.Equal("running", status.State);
        Assert.Equal(2, status.TargetWorkers);
        Assert.Equal([(1, 1001, "ready"), (2, 1002, "starting")], status.Workers.Select(w => (w.Slot, w.Pid, w.State)));
        Assert.NotNull(status.Workers[0].BootSeconds);
        Assert.Null(status.Workers[1].BootSeconds);
    }

    [Fact]
    public void Status_ComputesRequestsPerSecondFromTheHeartbeats()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        Heartbeat(arbiter, worker, requests: 100, keepAlive: 3);
        Assert.Null(Status(arbiter).Workers[0].RequestsPerSecond);
        _time.Advance(TimeSpan.FromSeconds(2));
        Heartbeat(arbiter, worker, requests: 500, keepAlive: 4);

        var snapshot = Status(arbiter).Workers[0];
        Assert.Equal(200, snapshot.RequestsPerSecond);
        Assert.Equal(500, snapshot.Requests);
        Assert.Equal(4, snapshot.KeepAliveConnections);
        Assert.Equal(0, snapshot.GcHeapBytes);
    }

    [Fact]
    public void ReloadWithWait_AnswersOnlyOnceEveryNewWorkerIsReady()
    {
        var arbiter = CreateRunning(workers: 2);

        var reply = Send(arbiter, new ControlRequest { Command = ControlRequest.Reload, Wait = true });
        Assert.False(reply.Task.IsCompleted);
        arbiter.Ready(_launcher.Launched[2]);
        Assert.False(reply.Task.IsCompleted);
        arbiter.Ready(_launcher.Launched[3]);

        var response = Completed(reply);
        Assert.True(response.Ok, response.Error);
        Assert.Contains("generation 1", response.Message);
        Assert.Equal(1, Status(arbiter).Reloads.Completed);
    }

    [Fact]
    public void ReloadWithWait_WhenANewWorkerFailsToBoot_AnswersWhy_AndTheOldWorkersKeepServing()
    {
        var arbiter = CreateRunning(workers: 1);

        var reply = Send(arbiter, new ControlRequest { Command = ControlRequest.Reload, Wait = true });
        arbiter.Exit(_launcher.Launched[1], 1);

        var response = Completed(reply);
        Assert.False(response.Ok);
        Assert.StartsWith("reload failed: new worker 1", response.Error);
        var status = Status(arbiter);
        Assert.Equal(1, status.Reloads.Failed);
        Assert.Equal([(1001, "ready")], status.Workers.Select(w => (w.Pid, w.State)));
    }

    [Fact]
    public void Reload_WithAnInvalidConfiguration_IsRefusedAtOnce()
    {
        var arbiter = CreateRunning(workers: 1);
        _plans.NextError = "config file line 3: workers = 'x'";

        var response = Ask(arbiter, new ControlRequest { Command = ControlRequest.Reload });

        Assert.False(response.Ok);
        Assert.Contains("workers = 'x'", response.Error);
        Assert.Equal(1, Status(arbiter).Reloads.Refused);
    }

    [Fact]
    public void ReloadWithWait_DuringAReload_AnswersWithTheReloadThatFollows()
    {
        var arbiter = CreateRunning(workers: 1);
        Send(arbiter, new ControlRequest { Command = ControlRequest.Reload });

        var reply = Send(arbiter, new ControlRequest { Command = ControlRequest.Reload, Wait = true });
        arbiter.Ready(_launcher.Launched[1]);
        Assert.False(reply.Task.IsCompleted);
        arbiter.Ready(_launcher.Launched[2]);

        Assert.Contains("generation 2", Completed(reply).Message);
    }

    [Fact]
    public void Scale_ToACountOrByADelta_AddsAndRemovesSlots()
    {
        var arbiter = CreateRunning(workers: 2);

        Assert.True(Ask(arbiter, new ControlRequest { Command = ControlRequest.Scale, Workers = 4 }).Ok);
        Assert.Equal([3, 4], _launcher.Launched.Skip(2).Select(w => w.Slot));
        Assert.True(Ask(arbiter, new ControlRequest { Command = ControlRequest.Scale, Delta = -3 }).Ok);

        Assert.Equal(1, Status(arbiter).TargetWorkers);
        Assert.Equal(3, _launcher.Launched.Count(w => w.Actions.Contains(HandleAction.Kill) || w.Sent.Contains(ArbiterSteps.GracefulDrain)));
    }

    [Fact]
    public void Scale_BelowOneWorker_IsRefused()
    {
        var arbiter = CreateRunning(workers: 1);

        var response = Ask(arbiter, new ControlRequest { Command = ControlRequest.Scale, Delta = -1 });

        Assert.False(response.Ok);
        Assert.Contains("between 1 and", response.Error);
    }

    [Fact]
    public void Recycle_StartsTheReplacementFirst_AndRetiresTheWorkerOnceItIsReady()
    {
        var arbiter = CreateRunning(workers: 2);
        var old = _launcher.Launched[1];

        Assert.True(Ask(arbiter, new ControlRequest { Command = ControlRequest.Recycle, Slot = 2 }).Ok);
        var replacement = Assert.Single(_launcher.Launched.Skip(2));
        Assert.Equal(2, replacement.Slot);
        Assert.Empty(old.Sent);
        arbiter.Ready(replacement);
        Assert.Equal([ArbiterSteps.GracefulDrain], old.Sent);
        arbiter.Exit(old, 0);

        var status = Status(arbiter);
        Assert.Equal(1, status.Restarts[RestartReason.Recycle]);
        var slot2 = Assert.Single(status.Workers, w => w.Slot == 2);
        Assert.Equal(1, slot2.Restarts);
        Assert.Contains(RecyclePolicy.AskedReason, slot2.LastExit);
    }

    [Fact]
    public void RecycleAll_ReplacesOneWorkerAtATime()
    {
        var arbiter = CreateRunning(workers: 2);

        Ask(arbiter, new ControlRequest { Command = ControlRequest.Recycle, All = true });
        Assert.Equal(3, _launcher.Launched.Count);
        arbiter.Ready(_launcher.Launched[2]);
        arbiter.Exit(_launcher.Launched[0], 0);
        arbiter.Handle(new ArbiterEvent.Tick());

        Assert.Equal(4, _launcher.Launched.Count);
    }

    [Fact]
    public void Recycle_OfAnEmptySlot_IsRefused()
        => Assert.False(Ask(CreateRunning(workers: 1), new ControlRequest { Command = ControlRequest.Recycle, Slot = 7 }).Ok);

    [Fact]
    public void Crash_CountsARestartOfItsSlot_WithHowItEnded()
    {
        var arbiter = CreateRunning(workers: 1);

        arbiter.Handle(new ArbiterEvent.WorkerExited(_launcher.Launched[0].Key, WorkerExit.Killed(6), []));

        var status = Status(arbiter);
        Assert.Equal(1, status.Restarts[RestartReason.Crash]);
        var worker = Assert.Single(status.Workers);
        Assert.Equal(1, worker.Restarts);
        Assert.Equal("killed by SIGABRT (crash)", worker.LastExit);
    }

    [Fact]
    public void Stop_DrainsEveryWorker_AndFailsAReloadThatWaits()
    {
        var arbiter = CreateRunning(workers: 1);
        var reload = Send(arbiter, new ControlRequest { Command = ControlRequest.Reload, Wait = true });

        Assert.True(Ask(arbiter, new ControlRequest { Command = ControlRequest.Stop }).Ok);

        Assert.Single(_launcher.Launched[0].Sent.OfType<MasterMessage.Drain>());
        Assert.Equal("procman is stopping", Completed(reload).Error);
        Assert.Equal("stopping", Status(arbiter).State);
    }

    private static MasterSnapshot Status(Arbiter arbiter) => Ask(arbiter, new ControlRequest { Command = ControlRequest.Status }).Status!;

    private static ControlResponse Ask(Arbiter arbiter, ControlRequest request) => Completed(Send(arbiter, request));

    private static TaskCompletionSource<ControlResponse> Send(Arbiter arbiter, ControlRequest request)
    {
        var reply = new TaskCompletionSource<ControlResponse>();
        arbiter.Handle(new ArbiterEvent.Control(request, reply));
        return reply;
    }

    private static ControlResponse Completed(TaskCompletionSource<ControlResponse> reply)
    {
        // The loop answers synchronously or through a continuation on the thread pool; bound the wait for the latter.
        Assert.True(reply.Task.Wait(TimeSpan.FromSeconds(10)), "no answer");
        return reply.Task.Result;
    }

    private static void Heartbeat(Arbiter arbiter, FakeWorkerLauncher.FakeWorker worker, long requests, int keepAlive)
        => arbiter.Handle(new ArbiterEvent.WorkerMessageReceived(worker.Key, new WorkerMessage.Heartbeat { Requests = requests, KeepAliveConnections = keepAlive }));

    private Arbiter CreateRunning(int workers)
    {
        var arbiter = Create(workers);
        arbiter.Start();
        foreach (var worker in _launcher.Launched.ToArray())
        {
            arbiter.Ready(worker);
        }
        return arbiter;
    }

    private Arbiter Create(int workers)
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = workers,
            Environment = [],
            GracefulTimeout = TimeSpan.FromSeconds(30),
        };
        _plans = new FakeWorkerPlans(options, _launcher);
        return new Arbiter(_plans, Channel.CreateUnbounded<ArbiterEvent>(), _time, NullLogger<Arbiter>.Instance, new FakeProcessMetrics());
    }
}
