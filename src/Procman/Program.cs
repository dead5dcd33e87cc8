using Procman.Cli;
using Procman.Configuration;
using Procman.Native;

// Before anything calls into libc: elsewhere those calls would fail in ways that do not say why.
if (LinuxOnly.Problem(OperatingSystem.IsLinux(), System.Runtime.InteropServices.RuntimeInformation.OSDescription) is { } problem)
{
    await Console.Error.WriteLineAsync($"procman: error: {problem}");
    return Procman.ExitCodes.NotLinux;
}

// A shell starts a background job, and nohup a command, with SIGINT and SIGQUIT ignored, and .NET installs no
// handler for a signal ignored at start-up. procman answers both as documented however it was started, as
// Gunicorn does; this must happen before anything initializes .NET's signal handling.
Libc.Unignore(Signal.Int);
Libc.Unignore(Signal.Quit);

return await ProcmanCli.InvokeAsync(args, new ProcessEnvironment());
