using Procman.Configuration;
using Procman.Control;
using Procman.Native;

namespace Procman.Cli;

/// <summary>Finds the control socket of a running procman the way <c>procman run</c> chose it.</summary>
internal sealed class ControlSocketLocator(IEnvironment environment)
{
    /// <param name="socket">--control-socket, which wins.</param>
    /// <param name="config">-c CONFIG: the settings are read from it (and PROCMAN_CMD_ARGS) as run reads them.</param>
    /// <exception cref="ProcmanException">The configuration turns the socket off, or no single running procman can be told apart.</exception>
    public string Locate(string? socket, string? config)
    {
        if (socket is not null)
        {
            return Path.GetFullPath(socket);
        }
        IReadOnlyList<SettingInput> commandLine = config is null ? [] : [new SettingInput(Settings.Get(Settings.Config), [config])];
        var values = new ConfigurationLoader(environment, RunCommand.ParseSettingArguments).Load(commandLine).Values;
        var options = ProcmanOptions.From(values, new AppCommand("", []), Environment.CurrentDirectory);
        if (options.ControlSocketDisabled)
        {
            throw new ProcmanException("the configuration turns the control socket off (control_socket_disable); remove that, or signal the master instead", ExitCodes.UsageError);
        }
        var user = Libc.GetEffectiveUserId();
        if (ControlSocketPath.Of(options, environment, user, masterPid: null) is { } path)
        {
            return path;
        }

        // Neither a pidfile nor a name: the socket is named by the master's pid, so look for the live ones.
        var directory = ControlSocketPath.RuntimeDirectory(environment, user);
        var live = Directory.Exists(directory)
            ? Directory.GetFiles(directory, $"{ControlSocketPath.PidNamedPrefix}*{ControlSocketPath.Extension}")
                .Where(candidate => ControlSocketPath.PidOf(candidate) is int pid && Directory.Exists($"/proc/{pid}"))
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];
        return live.Length switch
        {
            1 => live[0],
            0 => throw new ProcmanException($"no running procman found in {directory}; is it running as this user? pass --control-socket PATH or -c CONFIG", ExitCodes.NotRunning),
            _ => throw new ProcmanException($"{live.Length} procman instances are running ({string.Join(", ", live)}); pick one with --control-socket PATH", ExitCodes.UsageError),
        };
    }
}
