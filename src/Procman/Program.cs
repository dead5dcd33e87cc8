using Procman.Cli;
using Procman.Configuration;
using Procman.Native;

// A shell starts a background job, and nohup a command, with SIGINT and SIGQUIT ignored, and .NET installs no
// handler for a signal ignored at start-up. procman answers both as documented however it was started, as
// Gunicorn does; this must happen before anything initializes .NET's signal handling.
Libc.Unignore(Signal.Int);
Libc.Unignore(Signal.Quit);

return await ProcmanCli.InvokeAsync(args, new ProcessEnvironment());
