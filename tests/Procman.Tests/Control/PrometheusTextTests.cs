using Procman.Control;

namespace Procman.Tests.Control;

public sealed class PrometheusTextTests
{
    private readonly string[] _lines = PrometheusText.Render(ControlProtocolTests.Sample).Split('\n');

    [Fact]
    public void EveryWorkerSample_IsLabelledWithSlotAndPid()
    {
        Assert.Contains("procman_worker_requests_total{slot=\"1\",pid=\"101\"} 1200", _lines);
        Assert.Contains("procman_worker_proportional_memory_bytes{slot=\"1\",pid=\"101\"} 20971520", _lines);
    }

    [Fact]
    public void AValueNotReported_IsLeftOut_NotWrittenAsZero()
    {
        Assert.DoesNotContain(_lines, line => line.StartsWith("procman_worker_gc_heap_bytes{", StringComparison.Ordinal));
        Assert.DoesNotContain(_lines, line => line.StartsWith("procman_worker_resident_memory_bytes{slot=\"2\"", StringComparison.Ordinal));
        Assert.Contains("# TYPE procman_worker_gc_heap_bytes gauge", _lines);
    }

    [Fact]
    public void CountersAndSummaries_CarryTheMastersTotals()
    {
        Assert.Contains("procman_worker_restarts_total{reason=\"reload\"} 1", _lines);
        Assert.Contains("procman_reloads_total{result=\"failed\"} 1", _lines);
        Assert.Contains("procman_reload_duration_seconds_sum 6.5", _lines);
        Assert.Contains("procman_reload_duration_seconds_count 2", _lines);
        Assert.Contains("procman_workers{state=\"starting\"} 1", _lines);
    }
}
