using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Procman.Worker.Hosting;

/// <summary>
/// Registered last among the app's hosted services: tells the master the worker is ready once the
/// host has started, which for a web host means Kestrel is listening.
/// </summary>
internal sealed class WorkerLifetimeService(WorkerAgent agent, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        agent.OnHostStarting(lifetime, loggers.CreateLogger(WorkerLog.Category));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
