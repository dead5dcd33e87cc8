using System.Runtime.InteropServices;
using System.Threading.Channels;
using Procman.Arbitration;

namespace Procman.Signals;

/// <summary>
/// Turns the master's signals into arbiter events. The handlers do nothing else: all decisions are the
/// arbiter loop's.
/// </summary>
internal sealed class SignalListener : IDisposable
{
    private static readonly (PosixSignal Posix, MasterSignal Signal)[] Handled =
    [
        (PosixSignal.SIGHUP, MasterSignal.Hup),
        (PosixSignal.SIGINT, MasterSignal.Int),
        (PosixSignal.SIGQUIT, MasterSignal.Quit),
        (PosixSignal.SIGTERM, MasterSignal.Term),
        (PosixSignal.SIGTTIN, MasterSignal.Ttin),
        (PosixSignal.SIGTTOU, MasterSignal.Ttou),
        (PosixSignal.SIGWINCH, MasterSignal.Winch),
        ((PosixSignal)Native.Signal.Usr1, MasterSignal.Usr1),
        ((PosixSignal)Native.Signal.Usr2, MasterSignal.Usr2),
    ];

    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalListener(ChannelWriter<ArbiterEvent> events)
    {
        foreach (var (posix, signal) in Handled)
        {
            _registrations.Add(PosixSignalRegistration.Create(posix, context =>
            {
                // Cancel the runtime's default action (terminating on SIGTERM/SIGINT/SIGQUIT): the
                // arbiter decides how to stop.
                context.Cancel = true;
                events.TryWrite(new ArbiterEvent.SignalReceived(signal));
            }));
        }
    }

    public void Dispose() => _registrations.ForEach(registration => registration.Dispose());
}
