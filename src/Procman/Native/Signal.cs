namespace Procman.Native;

/// <summary>Linux signal numbers (x86-64 and arm64 agree on all of these).</summary>
internal static class Signal
{
    public const int Hup = 1;
    public const int Int = 2;
    public const int Quit = 3;
    public const int Kill = 9;
    public const int Usr1 = 10;
    public const int Usr2 = 12;
    public const int Term = 15;
    public const int Ttin = 21;
    public const int Ttou = 22;
    public const int Winch = 28;

    public static string Name(int signal) => signal switch
    {
        Hup => "SIGHUP",
        Int => "SIGINT",
        Quit => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        Kill => "SIGKILL",
        Usr1 => "SIGUSR1",
        11 => "SIGSEGV",
        Usr2 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        Term => "SIGTERM",
        Ttin => "SIGTTIN",
        Ttou => "SIGTTOU",
        Winch => "SIGWINCH",
        _ => $"signal {signal}",
    };
}
