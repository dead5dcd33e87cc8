using Microsoft.Extensions.Time.Testing;
using Procman.Arbitration;
using Procman.Control;
using Procman.Tests.Arbitration;

namespace Procman.Tests.Control;

public sealed class SampledMemoryTests
{
    private readonly FakeProcessMetrics _metrics = new();
    private readonly FakeTimeProvider _time = new();

    public SampledMemoryTests()
    {
        _metrics.Resident[10] = 100;
        _metrics.Resident[11] = 200;
    }

    [Fact]
    public void Askers_within_a_second_share_one_read_of_each_process()
    {
        var memory = new SampledMemory(_metrics, _time);

        var first = memory.Of([10, 11]);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        var second = memory.Of([10, 11]);
        _time.Advance(TimeSpan.FromMilliseconds(599));
        memory.Of([11]);

        Assert.Equal(new ProcessMemory(100, 50), first[10]);
        Assert.Equal(first[11], second[11]);
        Assert.Equal(1, _metrics.MemoryReads[10]);
        Assert.Equal(1, _metrics.MemoryReads[11]);
    }

    [Fact]
    public void A_sample_a_second_old_is_read_again_and_shows_the_change()
    {
        var memory = new SampledMemory(_metrics, _time);
        memory.Of([10]);
        _metrics.Resident[10] = 300;

        _time.Advance(SampledMemory.MaxAge);
        var later = memory.Of([10]);

        Assert.Equal(2, _metrics.MemoryReads[10]);
        Assert.Equal(new ProcessMemory(300, 150), later[10]);
    }

    [Fact]
    public void A_process_no_longer_asked_about_is_forgotten_so_a_reused_pid_is_read_afresh()
    {
        var memory = new SampledMemory(_metrics, _time);
        memory.Of([10, 11]);
        memory.Of([11]);
        _metrics.Resident[10] = 999;

        var reused = memory.Of([10, 11]);

        Assert.Equal(2, _metrics.MemoryReads[10]);
        Assert.Equal(1, _metrics.MemoryReads[11]);
        Assert.Equal(new ProcessMemory(999, 499), reused[10]);
    }

    [Fact]
    public void A_process_that_is_gone_has_no_memory()
    {
        var memory = new SampledMemory(_metrics, _time);

        Assert.Null(memory.Of([42])[42]);
    }
}
