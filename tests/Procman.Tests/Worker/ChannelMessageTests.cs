using System.Text;
using Procman.Worker.Protocol;

namespace Procman.Tests.Worker;

public sealed class ChannelMessageTests
{
    [Fact]
    public void TakeLines_JoinsLinesSplitAcrossReads_AndKeepsTheUnfinishedRest()
    {
        var pending = new StringBuilder();

        var first = Read(pending, "hb 12 3\nre");
        var second = Read(pending, "ady\n\ndrain 30000\nsha");

        Assert.Equal(["hb 12 3"], first);
        Assert.Equal(["ready", "drain 30000"], second);
        Assert.Equal("sha", pending.ToString());
        Assert.Equal(("drain", "30000"), ChannelMessage.Parse(second[1]));
        Assert.Equal(("ready", null), ChannelMessage.Parse(second[0]));
    }

    private static List<string> Read(StringBuilder pending, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "unread");
        return ChannelMessage.TakeLines(pending, bytes, text.Length);
    }
}
