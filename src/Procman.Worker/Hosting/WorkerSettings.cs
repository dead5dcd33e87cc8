using System.Globalization;
using Procman.Worker.Protocol;

namespace Procman.Worker.Hosting;

/// <summary>What the master told this worker through its environment.</summary>
internal sealed record WorkerSettings(int WorkerId, int ChannelFd, IReadOnlyList<int> ListenFds, int Backlog, TimeSpan HeartbeatInterval)
{
    /// <summary>Reads the settings, or returns null when this process was not started by procman.</summary>
    public static WorkerSettings? FromEnvironment()
    {
        var channel = Environment.GetEnvironmentVariable(WorkerEnvironment.ChannelFd);
        if (string.IsNullOrEmpty(channel))
        {
            return null;
        }

        var listen = Environment.GetEnvironmentVariable(WorkerEnvironment.ListenFds) ?? "";
        var settings = new WorkerSettings(
            WorkerId: ParseInt(Environment.GetEnvironmentVariable(WorkerEnvironment.WorkerId), 0),
            ChannelFd: ParseInt(channel, -1),
            ListenFds: listen.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => ParseInt(s, -1)).ToArray(),
            Backlog: ParseInt(Environment.GetEnvironmentVariable(WorkerEnvironment.Backlog), 2048),
            HeartbeatInterval: TimeSpan.FromMilliseconds(ParseInt(Environment.GetEnvironmentVariable(WorkerEnvironment.HeartbeatMilliseconds), 1000)));

        foreach (var name in WorkerEnvironment.All)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable(WorkerEnvironment.StartupHooks, null);
        return settings;
    }

    private static int ParseInt(string? value, int fallback)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : fallback;
}
