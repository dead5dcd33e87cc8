using Procman.Configuration;
using Procman.Control;

namespace Procman.Cli;

/// <summary>Carries out the client commands (status, reload, scale, recycle, stop, dump): one request on the control socket each.</summary>
internal sealed class ControlCommandHandler(IEnvironment environment, TextWriter output, TextWriter error)
{
    public async Task<int> InvokeAsync(ControlTarget target, ControlRequest request, Func<ControlResponse, string> describe, CancellationToken cancellationToken, bool untilClosed = false)
    {
        try
        {
            var path = new ControlSocketLocator(environment).Locate(target.Socket, target.Config);
            var response = await ControlClient.SendAsync(path, request, untilClosed, cancellationToken);
            if (!response.Ok)
            {
                await error.WriteLineAsync($"procman: error: {response.Error}");
                return ExitCodes.CommandFailed;
            }
            await output.WriteLineAsync(describe(response));
            return ExitCodes.Success;
        }
        catch (ProcmanException ex)
        {
            await error.WriteLineAsync($"procman: error: {ex.Message}");
            return ex.ExitCode;
        }
    }
}
