using Microsoft.Extensions.Hosting;

namespace Procman.Worker.Hosting;

/// <summary>
/// Registered last among the app's hosted services: tells the master the worker is ready once the
/// host has started, which for a web host means Kestrel is listening.
/// </summary>
internal sealed class WorkerLifetimeService(WorkerAgent agent, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        agent.OnHostStarting(lifetime);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
