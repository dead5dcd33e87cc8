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
    private static readonly (PosixSignal Posix, int Number)[] Handled =
    [
        (PosixSignal.SIGHUP, Native.Signal.Hup),
        (PosixSignal.SIGINT, Native.Signal.Int),
        (PosixSignal.SIGQUIT, Native.Signal.Quit),
        (PosixSignal.SIGTERM, Native.Signal.Term),
        (PosixSignal.SIGTTIN, Native.Signal.Ttin),
        (PosixSignal.SIGTTOU, Native.Signal.Ttou),
        (PosixSignal.SIGWINCH, Native.Signal.Winch),
        ((PosixSignal)Native.Signal.Usr1, Native.Signal.Usr1),
        ((PosixSignal)Native.Signal.Usr2, Native.Signal.Usr2),
    ];

    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalListener(ChannelWriter<ArbiterEvent> events)
    {
        foreach (var (posix, number) in Handled)
        {
            _registrations.Add(PosixSignalRegistration.Create(posix, context =>
            {
                // Cancel the runtime's default action (terminating on SIGTERM/SIGINT/SIGQUIT): the
                // arbiter decides how to stop.
                context.Cancel = true;
                events.TryWrite(new ArbiterEvent.SignalReceived(number));
            }));
        }
    }

    public void Dispose() => _registrations.ForEach(registration => registration.Dispose());
}
