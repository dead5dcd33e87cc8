using Procman.Configuration;

namespace Procman.Tests.Configuration;

// Reads or changes the process-wide current directory: never in parallel with each other.
[Collection("Current directory")]
public sealed class BindAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8000", "127.0.0.1", 8000)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("localhost:5000", "localhost", 5000)]
    [InlineData("example.internal", "example.internal", 8000)]
    [InlineData("127.0.0.1", "127.0.0.1", 8000)]
    [InlineData(":9000", "0.0.0.0", 9000)]
    [InlineData("tcp://10.0.0.1:81", "10.0.0.1", 81)]
    [InlineData("[::1]:8000", "::1", 8000)]
    [InlineData("[::]:0", "::", 0)]
    [InlineData("[fe80::1]", "fe80::1", 8000)]
    [InlineData("  127.0.0.1:1  ", "127.0.0.1", 1)]
    public void TryParse_TcpForms_GivesHostAndPort(string text, string host, int port)
    {
        Assert.True(BindAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(new BindAddress.Tcp(host, port), address);
    }

    [Fact]
    public void TryParse_Unix_KeepsThePathAsGiven_ForTheOptionsToResolveAgainstChdir()
    {
        Assert.True(BindAddress.TryParse("unix:/run/app.sock", out var address, out _));
        Assert.Equal(new BindAddress.Unix("/run/app.sock"), address);

        Assert.True(BindAddress.TryParse("unix:app.sock", out var relative, out _));
        Assert.Equal(new BindAddress.Unix("app.sock"), relative);
    }

    [Fact]
    public void TryParse_Fd_GivesTheNumber()
    {
        Assert.True(BindAddress.TryParse("fd://3", out var address, out _));
        Assert.Equal(new BindAddress.FileDescriptor(3), address);
    }

    [Theory]
    [InlineData("", "empty bind address")]
    [InlineData("unix:", "has no path")]
    [InlineData("fd://x", "not a valid fd")]
    [InlineData("fd://-1", "not a valid fd")]
    [InlineData("127.0.0.1:http", "invalid port 'http'")]
    [InlineData("127.0.0.1:65536", "invalid port '65536'")]
    [InlineData("127.0.0.1:-1", "invalid port '-1'")]
    [InlineData("::1:8000", "put it in brackets: [::1:8000]:PORT")]
    [InlineData("[::1:8000", "unclosed '['")]
    [InlineData("[::1]8000", "text after ']'")]
    [InlineData("[127.0.0.1]:80", "not an IPv6 address")]
    [InlineData("my host:80", "invalid host 'my host'")]
    public void TryParse_BadInput_SaysWhatIsWrongAndHowToFixIt(string text, string expected)
    {
        Assert.False(BindAddress.TryParse(text, out var address, out var error));
        Assert.Null(address);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryParse_UnixPathOverTheSunPathLimit_IsRefusedCountingBytesNotCharacters()
    {
        // 53 two-byte characters are 106 bytes after the slash: 107 with it, the most sun_path holds; one more is too long.
        var longest = "/" + new string('é', 53);
        var tooLong = longest + "x";

        Assert.True(BindAddress.TryParse("unix:" + longest, out _, out var error), error);
        Assert.False(BindAddress.TryParse("unix:" + tooLong, out var address, out error));
        Assert.Null(address);
        Assert.Equal($"bind address 'unix:{tooLong}': the path is 108 bytes, and a unix socket path has at most 107 (the 108-byte sun_path with its closing NUL); choose a shorter one, such as /run/app.sock", error);
    }

    [Theory]
    [InlineData("127.0.0.1:8000", "127.0.0.1:8000")]
    [InlineData("[::1]:8000", "[::1]:8000")]
    [InlineData("unix:/run/a.sock", "unix:/run/a.sock")]
    [InlineData("fd://3", "fd://3")]
    public void ToString_RoundTrips(string text, string expected)
    {
        BindAddress.TryParse(text, out var address, out _);
        Assert.Equal(expected, address!.ToString());
    }
}
