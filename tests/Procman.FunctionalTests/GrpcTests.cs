using Grpc.Core;
using Grpc.Net.Client;
using Procman.FunctionalTests.Infrastructure;
using Procman.Grpc;

namespace Procman.FunctionalTests;

/// <summary>A gRPC service under procman, over cleartext HTTP/2 with prior knowledge, as gRPC clients speak it.</summary>
public sealed class GrpcTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // Items of the stream that runs across a reload, 100 ms apart: long enough to outlast the start of the new worker.
    private const int StreamLength = 50;

    [Fact]
    public async Task UnaryAndServerStreamingCalls_AreServed()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.GrpcApp, 2, "--http2-cleartext", "prior-knowledge");
        using var channel = GrpcChannel.ForAddress(procman.BaseAddress);
        var client = new Echo.EchoClient(channel);

        var reply = await client.SayAsync(new EchoRequest { Text = "hello" }, deadline: Deadline());
        using var call = client.Count(new CountRequest { Count = 5, IntervalMs = 10 }, deadline: Deadline());
        var streamed = new List<string>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            streamed.Add(item.Text);
        }

        Assert.Equal("hello", reply.Text);
        Assert.Contains(reply.Pid, procman.ReadyWorkers());
        Assert.Equal(["1", "2", "3", "4", "5"], streamed);
    }

    [Fact]
    public async Task ServerStream_InFlightDuringAReload_EndsWhole_AndTheNextCallGoesToTheNewWorker()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.GrpcApp, 1, "--http2-cleartext", "prior-knowledge");
        using var channel = GrpcChannel.ForAddress(procman.BaseAddress);
        var client = new Echo.EchoClient(channel);
        using var call = client.Count(new CountRequest { Count = StreamLength, IntervalMs = 100 }, deadline: Deadline());
        Assert.True(await call.ResponseStream.MoveNext());
        var old = call.ResponseStream.Current.Pid;

        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Bound);
        var pids = new List<int> { old };
        while (await call.ResponseStream.MoveNext())
        {
            pids.Add(call.ResponseStream.Current.Pid);
        }
        var exit = await procman.WaitForEventAsync(e => e.Id == MasterEvent.WorkerExited && e.Int("Pid") == old, Bound, "the old worker to exit");
        var next = await client.SayAsync(new EchoRequest { Text = "after" }, deadline: Deadline());

        Assert.Equal(StreamLength, pids.Count);
        Assert.All(pids, pid => Assert.Equal(old, pid));
        Assert.Equal("retired", exit.Text("Reason"));
        Assert.NotEqual(old, next.Pid);
    }

    private static DateTime Deadline() => DateTime.UtcNow + Bound;
}
