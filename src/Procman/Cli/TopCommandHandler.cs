using System.Runtime.InteropServices;
using Procman.Configuration;
using Procman.Control;
using Spectre.Console;

namespace Procman.Cli;

/// <summary><c>procman top</c>: the status, refreshed every second in place, until q or Ctrl+C.</summary>
internal sealed class TopCommandHandler(IEnvironment environment)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    // How often a key press is looked for between refreshes.
    private static readonly TimeSpan KeyPoll = TimeSpan.FromMilliseconds(50);

    public async Task<int> InvokeAsync(ControlTarget target, CancellationToken cancellationToken)
    {
        string socket;
        try
        {
            socket = new ControlSocketLocator(environment).Locate(target.Socket, target.Config);
        }
        catch (ProcmanException ex)
        {
            await Console.Error.WriteLineAsync($"procman: error: {ex.Message}");
            return ex.ExitCode;
        }
        // Ctrl+C is a way to quit, like q: top ends its live view and restores the cursor rather than die of SIGINT.
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            quit.Cancel();
        });
        cancellationToken = quit.Token;
        var first = await FrameAsync(socket, cancellationToken);
        await AnsiConsole.Live(first).AutoClear(false).StartAsync(async live =>
        {
            while (!cancellationToken.IsCancellationRequested && !await QuitPressedAsync(RefreshInterval, cancellationToken))
            {
                live.UpdateTarget(await FrameAsync(socket, cancellationToken));
                live.Refresh();
            }
        });
        return ExitCodes.Success;
    }

    private static async Task<Spectre.Console.Rendering.IRenderable> FrameAsync(string socket, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ControlClient.SendAsync(socket, new ControlRequest { Command = ControlRequest.Status }, untilClosed: false, cancellationToken);
            return response.Status is { } status ? TopView.Render(status, socket) : TopView.Unavailable(response.Error ?? "no status");
        }
        catch (ProcmanException ex)
        {
            return TopView.Unavailable(ex.Message);
        }
        catch (OperationCanceledException)
        {
            return TopView.Unavailable("quitting");
        }
    }

    /// <summary>Waits out one refresh interval, or less when q is pressed; without a terminal, only Ctrl+C (the token) quits.</summary>
    private static async Task<bool> QuitPressedAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + interval;
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            while (!Console.IsInputRedirected && Console.KeyAvailable)
            {
                if (Console.ReadKey(intercept: true).Key == ConsoleKey.Q)
                {
                    return true;
                }
            }
            try
            {
                await Task.Delay(KeyPoll, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }
        return false;
    }
}
