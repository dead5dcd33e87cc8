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
    // Linux numbers, which PosixSignalRegistration takes as they are.
    private static readonly (int Number, MasterSignal Signal)[] Handled =
    [
        (Native.Signal.Hup, MasterSignal.Hup),
        (Native.Signal.Int, MasterSignal.Int),
        (Native.Signal.Quit, MasterSignal.Quit),
        (Native.Signal.Term, MasterSignal.Term),
        (Native.Signal.Ttin, MasterSignal.Ttin),
        (Native.Signal.Ttou, MasterSignal.Ttou),
        (Native.Signal.Winch, MasterSignal.Winch),
        (Native.Signal.Usr1, MasterSignal.Usr1),
        (Native.Signal.Usr2, MasterSignal.Usr2),
    ];

    /// <summary>The numbers of the signals the master answers.</summary>
    public static IEnumerable<int> Signals => Handled.Select(handled => handled.Number);

    private readonly List<PosixSignalRegistration> _registrations = [];

    public SignalListener(ChannelWriter<ArbiterEvent> events)
    {
        foreach (var (number, signal) in Handled)
        {
            _registrations.Add(PosixSignalRegistration.Create((PosixSignal)number, context =>
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
