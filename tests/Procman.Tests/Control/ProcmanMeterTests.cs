using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Procman.Arbitration;
using Procman.Control;
using Procman.Tests.Arbitration;

namespace Procman.Tests.Control;

public sealed class ProcmanMeterTests
{
    [Fact]
    public async Task TheProcmanMeter_PublishesTheSnapshotsValues()
    {
        var events = Channel.CreateUnbounded<ArbiterEvent>();
        using var loop = new CancellationTokenSource();
        var answering = AnswerStatusAsync(events.Reader, loop.Token);
        using var meter = new ProcmanMeter(new MasterControl(events.Writer, new SampledMemory(new FakeProcessMetrics(), TimeProvider.System), new FakeWorkerDiagnostics()), TimeProvider.System);
        var seen = new List<(string Instrument, double Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Meter.Name == ProcmanMeter.Name)
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen.Add((instrument.Name, value, string.Join(',', tags.ToArray().Select(tag => $"{tag.Key}={tag.Value}")))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => seen.Add((instrument.Name, value, "")));
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Contains(("procman.workers", 1, "state=ready"), seen);
        Assert.Contains(("procman.worker.requests", 1200, "slot=1,pid=101"), seen);
        Assert.Contains(("procman.reloads", 2, "result=completed"), seen);
        Assert.Contains(("procman.reload.last_duration", 3.25, ""), seen);
        Assert.DoesNotContain(seen, measurement => measurement.Instrument == "procman.worker.gc_heap");
        await loop.CancelAsync();
        await answering;
    }

    /// <summary>Stands in for the arbiter loop: answers every status query with the sample snapshot.</summary>
    private static async Task AnswerStatusAsync(ChannelReader<ArbiterEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var next in events.ReadAllAsync(cancellationToken))
            {
                if (next is ArbiterEvent.Control control)
                {
                    control.Reply.TrySetResult(ControlResponse.Of(ControlProtocolTests.Sample));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
