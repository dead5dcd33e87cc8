using Procman.Cli;
using Procman.Configuration;
using Procman.Native;

// Before anything calls into libc: elsewhere those calls would fail in ways that do not say why.
if (LinuxOnly.Problem(OperatingSystem.IsLinux(), System.Runtime.InteropServices.RuntimeInformation.OSDescription) is { } problem)
{
    await Console.Error.WriteLineAsync($"procman: error: {problem}");
    return Procman.ExitCodes.NotLinux;
}

// A shell starts a background job with SIGINT and SIGQUIT ignored, nohup a command with SIGHUP ignored, and .NET
// installs no handler for a signal ignored at start-up. The master answers every signal it documents however it
// was started, as Gunicorn does; this must happen before anything initializes .NET's signal handling. The control
// commands keep what they were given: `nohup procman reload --wait` stays deaf to a hangup.
if (args is ["run", ..])
{
    foreach (var signal in Procman.Signals.SignalListener.Signals)
    {
        Libc.Unignore(signal);
    }
}

return await ProcmanCli.InvokeAsync(args, new ProcessEnvironment());
