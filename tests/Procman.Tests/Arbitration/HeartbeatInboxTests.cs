using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Control;
using Procman.Protocol;

namespace Procman.Tests.Arbitration;

public sealed class HeartbeatInboxTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly FakeProcessMetrics _metrics = new();
    private readonly RecordingLogger<Arbiter> _log = new();
    private readonly HeartbeatInbox _inbox;

    public HeartbeatInboxTests() => _inbox = new HeartbeatInbox(_time);

    [Fact]
    public async Task AHeartbeatInTheInbox_IsSeenByTheNextStatusQuery()
    {
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        _inbox.Post(worker.Key, new WorkerMessage.Heartbeat { Requests = 42, KeepAliveConnections = 3, RequestsInFlight = 2 });
        var reply = new TaskCompletionSource<ControlResponse>();
        arbiter.Handle(new ArbiterEvent.Control(new ControlRequest { Command = ControlRequest.Status }, reply));

        var status = Assert.Single((await reply.Task).Status!.Workers);
        Assert.Equal((42L, 3, 2), (status.Requests, status.KeepAliveConnections, status.InFlight!.Value));
    }

    [Fact]
    public void AHeartbeatTakenLate_CountsFromWhenItArrived_SoASilentWorkerIsStillHungOnTime()
    {
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        _inbox.Post(worker.Key, new WorkerMessage.Heartbeat());
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Tick(arbiter);
        Assert.Empty(worker.Actions);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Tick(arbiter);

        Assert.Equal([HandleAction.Kill], worker.Actions);
        Assert.Contains(_log.Events, e => e.Id == 80 && e.Message.Contains("nothing for 5 s", StringComparison.Ordinal));
    }

    [Fact]
    public void HeartbeatsThatKeepArriving_InTheInbox_KeepAWorkerAlive()
    {
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);

        for (var second = 0; second < 3 * Timeout.TotalSeconds; second++)
        {
            _inbox.Post(worker.Key, new WorkerMessage.Heartbeat());
            _time.Advance(TimeSpan.FromSeconds(1));
            Tick(arbiter);
        }

        Assert.Empty(worker.Actions);
    }

    [Fact]
    public void AHeartbeatOfAWorkerThatHasExited_IsDropped()
    {
        var arbiter = Create();
        var worker = arbiter.Ready(_launcher.Launched[0]);
        arbiter.Exit(worker, 137);

        _inbox.Post(worker.Key, new WorkerMessage.Heartbeat { Requests = 7 });
        Tick(arbiter);

        Assert.All(arbiter.Workers, w => Assert.Equal(0, w.Requests));
    }

    private static void Tick(Arbiter arbiter) => arbiter.Handle(new ArbiterEvent.Tick());

    private Arbiter Create()
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = 1,
            Timeout = Timeout,
            Balance = false,
        };
        var arbiter = new Arbiter(new FakeWorkerPlans(options, _launcher), Channel.CreateUnbounded<ArbiterEvent>(), _time, _log, _metrics, heartbeats: _inbox);
        arbiter.Start();
        return arbiter;
    }
}
