using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;
using Procman.Native;

namespace Procman.Tests.Arbitration;

/// <summary>The loop itself (<see cref="Arbiter.RunAsync"/>), where the other arbiter tests hand it events one by one.</summary>
public sealed class ArbiterLoopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly Channel<ArbiterEvent> _events = Channel.CreateUnbounded<ArbiterEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PassObserver _passes = new();

    [Fact]
    public async Task TheLoop_TicksWhenTheTimeProviderSaysSo_WakesForAnEvent_AndEndsWithTheLastWorker()
    {
        var arbiter = Create();
        var started = _passes.When(() => _launcher.Launched.Count == 1);

        var run = arbiter.RunAsync();
        await started.WaitAsync(Bound);
        var worker = _launcher.Launched[0];
        var killed = _passes.When(() => worker.Actions.Contains(HandleAction.Kill));
        _time.Advance(BootTimeout);
        await killed.WaitAsync(Bound);
        _events.Writer.TryWrite(new ArbiterEvent.WorkerExited(worker.Key, WorkerExit.Killed(Signal.Kill), []));
        await run.WaitAsync(Bound);

        Assert.Equal(ExitCodes.BootFailure, arbiter.Outcome.ExitCode);
        Assert.Equal("procman arbiter", _passes.ThreadName);
    }

    private Arbiter Create()
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = 1,
            Timeout = TimeSpan.Zero,
            BootTimeout = BootTimeout,
        };
        return new Arbiter(new FakeWorkerPlans(options, _launcher), _events, _time, NullLogger<Arbiter>.Instance, observer: _passes);
    }

    /// <summary>Told after every pass of the loop, on the loop's thread, which alone may read the fakes it changes.</summary>
    private sealed class PassObserver : IArbiterObserver
    {
        private readonly Lock _lock = new();
        private (Func<bool> Condition, TaskCompletionSource Met)? _waiting;

        public TimeSpan? Pace => null;

        /// <summary>The name of the thread the last pass ran on.</summary>
        public string? ThreadName { get; private set; }

        public void OnChanged(ArbiterStatus status)
        {
            ThreadName = Thread.CurrentThread.Name;
            lock (_lock)
            {
                if (_waiting is var (condition, met) && condition())
                {
                    met.TrySetResult();
                }
            }
        }

        /// <summary>Completes after the first pass that leaves <paramref name="condition"/> true; set it before what should make it so.</summary>
        public Task When(Func<bool> condition)
        {
            var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _waiting = (condition, met);
            }
            return met.Task;
        }
    }
}
