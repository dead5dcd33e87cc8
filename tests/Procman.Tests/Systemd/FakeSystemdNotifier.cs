using Microsoft.Extensions.Hosting.Systemd;

namespace Procman.Tests.Systemd;

/// <summary>Records every message instead of sending it.</summary>
internal sealed class FakeSystemdNotifier : ISystemdNotifier
{
    public List<string> Messages { get; } = [];

    public bool IsEnabled => true;

    public void Notify(ServiceState state) => Messages.Add(state.ToString());

    /// <summary>Every field sent so far, in order, with its value.</summary>
    public IEnumerable<string> Fields => Messages.SelectMany(message => message.Split('\n'));

    /// <summary>The field names sent so far, in order, leaving out STATUS= and the watchdog.</summary>
    public IEnumerable<string> States => Fields
        .Select(line => line[..line.IndexOf('=')])
        .Where(name => name is not "STATUS" and not "WATCHDOG");

    public void Clear() => Messages.Clear();
}
