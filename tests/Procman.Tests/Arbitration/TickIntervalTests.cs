using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Signals;

namespace Procman.Tests.Arbitration;

public sealed class TickIntervalTests
{
    private static readonly TimeSpan Moving = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();

    [Fact]
    public void WhileWorkersBoot_TheLoopTicksFiveTimesASecond_AndOnceASecondWhenAllAreReady()
    {
        var arbiter = Create(workers: 2);
        arbiter.Start();
        Assert.Equal(Moving, arbiter.WantedTickInterval);

        arbiter.Ready(_launcher.Launched[0]);
        Assert.Equal(Moving, arbiter.WantedTickInterval);

        arbiter.Ready(_launcher.Launched[1]);
        Assert.Equal(Steady, arbiter.WantedTickInterval);
    }

    [Fact]
    public void AReload_TicksFast_UntilTheOldWorkersHaveExited()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        var old = arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Hup));
        Assert.Equal(Moving, arbiter.WantedTickInterval);
        arbiter.Ready(_launcher.Launched[1]);
        Assert.Equal(Moving, arbiter.WantedTickInterval);

        arbiter.Exit(old, 0);
        Assert.Equal(Steady, arbiter.WantedTickInterval);
    }

    [Fact]
    public void ACrash_TicksFast_UntilItsReplacementIsReady()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        arbiter.Exit(arbiter.Ready(_launcher.Launched[0]), 137);

        Assert.Equal(Moving, arbiter.WantedTickInterval);
        _time.Advance(TimeSpan.FromSeconds(5));
        arbiter.Handle(new ArbiterEvent.Tick());
        arbiter.Ready(_launcher.Launched[^1]);
        Assert.Equal(Steady, arbiter.WantedTickInterval);
    }

    [Fact]
    public void AStop_TicksFast_SoItsDeadlinesAreKept()
    {
        var arbiter = Create(workers: 1);
        arbiter.Start();
        arbiter.Ready(_launcher.Launched[0]);

        arbiter.Handle(new ArbiterEvent.SignalReceived(MasterSignal.Term));

        Assert.Equal(Moving, arbiter.WantedTickInterval);
    }

    [Theory]
    [InlineData(500, 250)]
    [InlineData(300, 200)]
    [InlineData(1500, 750)]
    [InlineData(10_000, 1000)]
    public void AWatchdogPace_ShortensTheSteadyTick_ToHalfOfIt(int paceMs, int tickMs)
    {
        var arbiter = Create(workers: 1, new PacedObserver(TimeSpan.FromMilliseconds(paceMs)));
        arbiter.Start();
        arbiter.Ready(_launcher.Launched[0]);

        Assert.Equal(TimeSpan.FromMilliseconds(tickMs), arbiter.WantedTickInterval);
    }

    private sealed class PacedObserver(TimeSpan pace) : IArbiterObserver
    {
        public TimeSpan? Pace => pace;

        public void OnChanged(ArbiterStatus status)
        {
        }
    }

    private Arbiter Create(int workers, IArbiterObserver? observer = null)
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = workers,
            Timeout = TimeSpan.Zero,
        };
        return new Arbiter(new FakeWorkerPlans(options, _launcher), Channel.CreateUnbounded<ArbiterEvent>(), _time, NullLogger<Arbiter>.Instance, observer: observer);
    }
}
