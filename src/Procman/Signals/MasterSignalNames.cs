namespace Procman.Signals;

internal static class MasterSignalNames
{
    /// <summary>The signal's name as operators write it: SIGHUP, SIGTERM.</summary>
    public static string Display(this MasterSignal signal) => "SIG" + signal.ToString().ToUpperInvariant();
}
