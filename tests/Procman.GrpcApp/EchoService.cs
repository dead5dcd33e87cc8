using Grpc.Core;
using Procman.Grpc;

namespace Procman.GrpcApp;

/// <summary>Answers each call with the pid of the process that served it.</summary>
internal sealed class EchoService : Echo.EchoBase
{
    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context)
        => Task.FromResult(new EchoReply { Text = request.Text, Pid = Environment.ProcessId });

    public override async Task Count(CountRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 1; i <= request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Pid = Environment.ProcessId });
            await Task.Delay(request.IntervalMs, context.CancellationToken);
        }
    }
}
