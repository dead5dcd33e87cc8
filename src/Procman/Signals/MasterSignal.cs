namespace Procman.Signals;

/// <summary>The signals the master answers, as the arbiter sees them: by meaning of name, never by number.</summary>
internal enum MasterSignal
{
    Hup,
    Int,
    Quit,
    Term,
    Ttin,
    Ttou,
    Winch,
    Usr1,
    Usr2,
}
