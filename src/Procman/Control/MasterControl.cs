using System.Threading.Channels;
using Procman.Arbitration;

namespace Procman.Control;

/// <summary>
/// The one way into the arbiter for the control socket and the admin endpoint: a request goes onto the
/// loop's channel and its answer comes back. Whatever takes the OS's time (reading /proc, taking stacks,
/// writing a dump) is done here, outside the loop.
/// </summary>
internal sealed class MasterControl(ChannelWriter<ArbiterEvent> events, SampledMemory memory, IWorkerDiagnostics diagnostics)
{
    /// <summary>How long the loop may take to answer a query; it answers in microseconds unless it is stuck.</summary>
    public static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(10);

    /// <summary>How long reading a worker's stacks for <c>procman dump</c> may take.</summary>
    public static readonly TimeSpan DumpBound = TimeSpan.FromSeconds(30);

    public async Task<ControlResponse> SendAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        if (request.Command == ControlRequest.Dump)
        {
            return await DumpAsync(request, cancellationToken).ConfigureAwait(false);
        }
        var response = await AskLoopAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status is { } status ? response with { Status = WithMemory(status) } : response;
    }

    /// <summary>The master's snapshot with memory, or null when the loop did not answer within <see cref="AnswerBound"/>.</summary>
    public async Task<MasterSnapshot?> StatusAsync(CancellationToken cancellationToken)
        => (await SendAsync(new ControlRequest { Command = ControlRequest.Status }, cancellationToken).ConfigureAwait(false)).Status;

    private async Task<ControlResponse> AskLoopAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!events.TryWrite(new ArbiterEvent.Control(request, reply)))
        {
            return ControlResponse.Refused("procman is shutting down");
        }
        try
        {
            // A reload waited for takes as long as its workers take to boot; the arbiter settles it either way.
            return request.Command == ControlRequest.Reload && request.Wait
                ? await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false)
                : await reply.Task.WaitAsync(AnswerBound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return ControlResponse.Refused($"the master's loop did not answer within {AnswerBound.TotalSeconds:0} s");
        }
    }

    private MasterSnapshot WithMemory(MasterSnapshot status)
    {
        var sampled = memory.Of(status.Workers.Select(worker => worker.Pid).ToArray());
        return status with
        {
            Workers = status.Workers.Select(worker => sampled[worker.Pid] is { } read
                ? worker with { RssBytes = read.RssBytes, PssBytes = read.PssBytes }
                : worker).ToArray(),
        };
    }

    private async Task<ControlResponse> DumpAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        var status = await AskLoopAsync(new ControlRequest { Command = ControlRequest.Status }, cancellationToken).ConfigureAwait(false);
        if (status.Status is null)
        {
            return status;
        }
        var worker = status.Status.Workers
            .Where(candidate => candidate.Slot == request.Slot)
            .OrderBy(candidate => candidate.State == "ready" ? 0 : 1)
            .FirstOrDefault();
        if (worker is null)
        {
            return ControlResponse.Refused($"no worker in slot {request.Slot}; procman status lists the slots");
        }
        if (request.DumpDir is { } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ControlResponse.Refused($"no dump of worker {worker.Slot} (pid {worker.Pid}) can be written to {directory}: {ex.Message}");
            }
        }
        // A worker that does not answer the diagnostics IPC (stopped, or started with it disabled) must not hold the client forever.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(DumpBound);
        var diagnosis = await diagnostics.DiagnoseAsync(worker.Pid, worker.Slot, "dumped on request (procman dump)", request.DumpDir, bound.Token).ConfigureAwait(false);
        var (summary, path) = (diagnosis.Stacks, diagnosis.DumpPath);
        if (summary is null && path is null)
        {
            return ControlResponse.Refused($"the stacks of worker {worker.Slot} (pid {worker.Pid}) could not be read: {diagnosis.Error ?? "unknown error"}");
        }
        return new ControlResponse { Ok = true, Dump = new WorkerDump(worker.Slot, worker.Pid, summary, path) };
    }
}
