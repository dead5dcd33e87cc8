using System.Text;
using Procman.Worker.Warmup;

namespace Procman.Tests.Worker;

public sealed class Http1ConnectionTests
{
    private static readonly byte[] Get = Http1Connection.Request("/health?probe=1");

    [Fact]
    public void TheRequest_IsAGetOfTheTarget_ForLocalhost()
    {
        Assert.Equal("GET /health?probe=1 HTTP/1.1\r\nHost: localhost\r\n\r\n", Encoding.ASCII.GetString(Get));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(1)]
    public async Task ResponsesWithAContentLength_AreReadToTheirEnd_AndTheConnectionCarriesTheNext(int piece)
    {
        var server = new ScriptedStream(piece,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 5\r\n\r\nhello"
            + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        using var connection = new Http1Connection(server);

        Assert.Equal((200, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.True(connection.Answered);
        Assert.Equal((404, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.True(connection.Reused);
        Assert.Equal(Encoding.ASCII.GetString(Get) + Encoding.ASCII.GetString(Get), server.Written);
        Assert.True(server.AllRead);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(1)]
    public async Task AChunkedBody_WithExtensionsAndTrailers_IsReadToItsEnd(int piece)
    {
        var server = new ScriptedStream(piece,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nContent-Length: 3\r\n\r\n"
            + "5;name=value\r\nhello\r\n1A\r\n" + new string('x', 26) + "\r\n0\r\nServer-Timing: app;dur=1\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        using var connection = new Http1Connection(server);

        Assert.Equal((200, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.Equal((200, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.True(server.AllRead);
    }

    [Fact]
    public async Task InterimResponses_AreSkipped_And204And304_HaveNoBody_WhateverTheirContentLength()
    {
        var server = new ScriptedStream(4096,
            "HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\nETag: \"a\"\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        using var connection = new Http1Connection(server);

        Assert.Equal((204, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.Equal((304, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.Equal((200, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.True(server.AllRead);
    }

    [Theory]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\nno", 500)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the server closes", 200)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 200)]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 2\nConnection: close\n\nok", 200)]
    public async Task AResponseThatEndsTheConnection_IsReadToItsEnd_AndSaysSo(string response, int status)
    {
        var server = new ScriptedStream(7, response);
        using var connection = new Http1Connection(server);

        Assert.Equal((status, false), await connection.GetAsync(Get, CancellationToken.None));
        Assert.True(server.AllRead);
    }

    [Theory]
    [InlineData("", "closed before the warm-up's response", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "closed in the middle", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le", "closed in the middle", true)]
    [InlineData("HTTP/2 200\r\n\r\n", "not an HTTP/1.1 status line", true)]
    [InlineData("<html>hello</html>\r\n", "not an HTTP/1.1 status line", true)]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "not an HTTP/1.1 status line", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length '-1'", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", "Content-Length '3'", true)]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header line without a name", true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size of 'zz'", true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "longer than its size", true)]
    public async Task ABrokenResponse_IsAnIOExceptionThatSaysWhatWasWrong(string response, string expected, bool answered)
    {
        using var connection = new Http1Connection(new ScriptedStream(4096, response));

        var ex = await Assert.ThrowsAsync<IOException>(() => connection.GetAsync(Get, CancellationToken.None));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(answered, connection.Answered);
    }

    [Fact]
    public async Task AHeadLongerThanTheLimit_IsRefused_NotBufferedWithoutEnd()
    {
        var response = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', Http1Connection.MaxHeadBytes + 10) + "\r\n\r\n";
        using var connection = new Http1Connection(new ScriptedStream(1000, response));

        var ex = await Assert.ThrowsAsync<IOException>(() => connection.GetAsync(Get, CancellationToken.None));

        Assert.Contains("longer than 65536 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALargeBody_IsDiscardedAsItComes()
    {
        var server = new ScriptedStream(3000, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + new string('b', 1_000_000));
        using var connection = new Http1Connection(server);

        Assert.Equal((200, true), await connection.GetAsync(Get, CancellationToken.None));
        Assert.True(server.AllRead);
    }

    [Fact]
    public async Task Cancellation_EndsAReadThatWaits()
    {
        using var cancel = new CancellationTokenSource();
        using var connection = new Http1Connection(new ScriptedStream(4096, "HTTP/1.1 200 OK\r\n", waitAtEnd: true));

        var get = connection.GetAsync(Get, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
