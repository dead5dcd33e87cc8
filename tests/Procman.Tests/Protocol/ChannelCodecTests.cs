using System.Text;
using Procman.Protocol;

namespace Procman.Tests.Protocol;

public sealed class ChannelCodecTests
{
    private static readonly ChannelMessage[] Messages =
    [
        new WorkerMessage.Attached(),
        new WorkerMessage.Ready(),
        new WorkerMessage.Heartbeat
        {
            Requests = 12_345_678_901, KeepAliveConnections = 17, ProbeDelay = TimeSpan.FromMilliseconds(12), ProbeWaiting = TimeSpan.FromMilliseconds(3400),
            PoolThreads = 74, QueuedItems = 130, CompletedItems = 9, RequestsInFlight = 40, OldestRequest = TimeSpan.FromMilliseconds(61_000),
            GcHeapBytes = 45 * 1024 * 1024, GcPause = TimeSpan.FromMilliseconds(250),
        },
        new WorkerMessage.MaxRequestsReached(Served: 1000, Limit: 1000),
        new WorkerMessage.Draining(),
        new MasterMessage.Drain(TimeSpan.FromMilliseconds(30_500)),
        new MasterMessage.Share(16),
    ];

    public static TheoryData<ChannelMessage> EveryMessage => new(Messages);

    [Theory]
    [MemberData(nameof(EveryMessage))]
    public void EveryMessage_SurvivesARoundTrip_AsOneLine(ChannelMessage message)
    {
        var line = ChannelCodec.Encode(message);

        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line[..^1]);
        Assert.Equal(message, ChannelCodec.Decode(line[..^1]));
    }

    [Fact]
    public void EveryMessageType_IsInTheRoundTripTest()
    {
        var tested = Messages.Select(message => message.GetType()).ToHashSet();
        var all = typeof(ChannelMessage).Assembly.GetTypes().Where(type => type.IsSubclassOf(typeof(ChannelMessage)) && !type.IsAbstract);

        Assert.All(all, type => Assert.Contains(type, tested));
    }

    [Fact]
    public void Decode_ReadsAMissingFieldAsZero_AndSkipsAnUnknownOne()
    {
        Assert.Equal(new WorkerMessage.Heartbeat { Requests = 5, RequestsInFlight = 3 }, ChannelCodec.Decode("hb requests=5 inflight=3 future_field=7"));
    }

    [Fact]
    public void Decode_TakesTheLastOfARepeatedField_AndReadsGarbageAsZero()
    {
        Assert.Equal(
            new WorkerMessage.Heartbeat { Requests = 9, KeepAliveConnections = 0, QueuedItems = -4 },
            ChannelCodec.Decode("  hb  requests=5 requests=9 keepalive=many =3 queued=-4 inflight"));
    }

    [Fact]
    public void Decode_ReadsAVerbAlone_AndOneWithAnEmptyField()
    {
        Assert.Equal(new WorkerMessage.Ready(), ChannelCodec.Decode("ready"));
        Assert.Equal(new MasterMessage.Share(0), ChannelCodec.Decode("share connections="));
    }

    [Fact]
    public void Decode_ReturnsNull_ForAVerbItDoesNotKnow()
    {
        Assert.Null(ChannelCodec.Decode("reticulate splines=3"));
    }

    [Fact]
    public void TakeLines_JoinsLinesSplitAcrossReads_AndKeepsTheUnfinishedRest()
    {
        var pending = new StringBuilder();

        var first = Read(pending, "hb requests=12\nre");
        var second = Read(pending, "ady\n\ndrain deadline_ms=30000\nsha");

        Assert.Equal(["hb requests=12"], first);
        Assert.Equal(["ready", "drain deadline_ms=30000"], second);
        Assert.Equal("sha", pending.ToString());
    }

    private static List<string> Read(StringBuilder pending, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "unread");
        return ChannelCodec.TakeLines(pending, bytes, text.Length);
    }
}
