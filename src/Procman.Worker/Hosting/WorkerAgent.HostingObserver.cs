using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Procman.Worker.Hosting;

internal sealed partial class WorkerAgent
{
    /// <summary>
    /// Watches for the <c>Microsoft.Extensions.Hosting</c> listener, whose <c>HostBuilding</c> event carries
    /// the app's <see cref="IHostBuilder"/> before the host is built: the moment procman configures Kestrel.
    /// </summary>
    private sealed class HostingObserver(WorkerAgent agent) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private const string ListenerName = "Microsoft.Extensions.Hosting";
        private const string HostBuildingEvent = "HostBuilding";

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == ListenerName)
            {
                listener.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == HostBuildingEvent && value.Value is IHostBuilder builder)
            {
                agent.OnHostBuilding(builder);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
