using Procman.Cli;
using Procman.Configuration;

return await ProcmanCli.InvokeAsync(args, new ProcessEnvironment());
