using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Configuration;

namespace Procman.Tests.Arbitration;

public sealed class BootPriorityTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeWorkerLauncher _launcher = new();
    private readonly RecordingLogger<Arbiter> _log = new();

    [Fact]
    public void AWorkerBecomingReady_LeavesItsBootPriority_NotBefore()
    {
        var arbiter = Create();
        arbiter.Start();
        var worker = _launcher.Launched[0];
        Assert.False(worker.PriorityRestored);

        arbiter.Ready(worker);

        Assert.True(worker.PriorityRestored);
    }

    [Fact]
    public void AWorkerWhosePriorityCannotBeRaisedAgain_IsNamedInAWarning_AndServesAllTheSame()
    {
        var arbiter = Create();
        arbiter.Start();
        var worker = _launcher.Launched[0];
        worker.RefusePriority = true;

        arbiter.Ready(worker);

        Assert.Contains(_log.Events, e => e.Id == 172 && e.Message.Contains($"pid {worker.Pid}", StringComparison.Ordinal));
        Assert.IsType<WorkerState.Ready>(Assert.Single(arbiter.Workers).State);
    }

    private Arbiter Create()
    {
        var options = new ProcmanOptions
        {
            App = new AppCommand("/srv/app/App.dll", []),
            Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
            Workers = 1,
            BootNice = 10,
            Environment = [],
            LogLevel = "info",
            LogFormat = "text",
        };
        return new Arbiter(new FakeWorkerPlans(options, _launcher), Channel.CreateUnbounded<ArbiterEvent>(), _time, _log);
    }
}
