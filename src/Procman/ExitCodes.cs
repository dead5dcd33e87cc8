namespace Procman;

/// <summary>procman's exit codes, documented in the README and in <c>--help</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Stopped as asked (SIGTERM, SIGINT, SIGQUIT), or a command such as --print-config succeeded.</summary>
    public const int Success = 0;

    /// <summary>An unexpected internal error.</summary>
    public const int InternalError = 1;

    /// <summary>Invalid command line or configuration.</summary>
    public const int UsageError = 2;

    /// <summary>Workers failed to boot: they exited or timed out before they were listening.</summary>
    public const int BootFailure = 3;

    /// <summary>The app does not exist or cannot be run.</summary>
    public const int AppNotFound = 4;

    /// <summary>A listen address could not be bound (in use, not permitted, not an address of this host).</summary>
    public const int BindFailure = 5;

    /// <summary>The pidfile names a live process: procman is probably running already.</summary>
    public const int AlreadyRunning = 6;

    /// <summary>A client command (status, reload, ...) found no procman answering on the control socket.</summary>
    public const int NotRunning = 7;

    /// <summary>A client command was refused or failed: the reason is printed (a reload whose workers did not boot, a bad slot).</summary>
    public const int CommandFailed = 8;

    /// <summary>Not Linux: procman runs on Linux only.</summary>
    public const int NotLinux = 9;

    /// <summary>What an exit code of procman's says, for a log line about another procman (a new master that failed).</summary>
    public static string Meaning(int code) => code switch
    {
        Success => "stopped as asked",
        InternalError => "an internal error",
        UsageError => "invalid command line or configuration",
        BootFailure => "its workers failed to boot",
        AppNotFound => "the app was not found or cannot run",
        BindFailure => "a listen address could not be bound",
        AlreadyRunning => "the pidfile or the control socket was taken",
        NotLinux => "not Linux",
        _ => "an exit code procman does not use",
    };

    public const string HelpText =
        "Exit codes: 0 stopped as asked; 1 internal error; 2 invalid command line or configuration; " +
        "3 workers failed to boot; 4 app not found or not runnable; 5 a listen address could not be bound; 6 the pidfile names a running process; " +
        "7 no procman answers on the control socket; 8 the control command was refused or failed; 9 not Linux (procman runs on Linux only).";
}
