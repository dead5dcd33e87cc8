using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Procman.Worker.Hosting;

internal sealed partial class WorkerAgent
{
    private readonly List<string> _ignoredEndpoints = [];

    /// <summary>The HTTP/2 side of the cleartext sockets that serve both HTTP/1.1 and prior-knowledge HTTP/2.</summary>
    public H2cHandoffListener H2c { get; } = new();

    /// <summary>Whether Kestrel is binding one of the sockets the master handed this worker, or procman's HTTP/2 side of them.</summary>
    public bool IsProcmanEndpoint(EndPoint endpoint)
        => endpoint is H2cEndPoint || (endpoint is FileHandleEndPoint handle && _settings.ListenFds.Contains((int)handle.FileHandle));

    /// <summary>Notes an endpoint of the app's own that procman did not bind.</summary>
    public void IgnoreEndpoint(EndPoint endpoint)
    {
        lock (_stateLock)
        {
            _ignoredEndpoints.Add(endpoint.ToString() ?? endpoint.GetType().Name);
        }
    }

    /// <summary>The endpoints of the app's own that were not bound, in the order Kestrel asked for them.</summary>
    public IReadOnlyList<string> IgnoredEndpoints
    {
        get
        {
            lock (_stateLock)
            {
                return [.. _ignoredEndpoints];
            }
        }
    }
}
