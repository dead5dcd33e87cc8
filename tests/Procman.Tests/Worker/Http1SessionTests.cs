using Procman.Worker.Warmup;

namespace Procman.Tests.Worker;

public sealed class Http1SessionTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private readonly List<ScriptedStream> _opened = [];

    [Fact]
    public async Task OneConnection_CarriesTheRequests_WhileTheServerKeepsIt_EachTargetAsAClientSendsIt()
    {
        using var session = Session(Ok + Ok);

        Assert.Equal(200, await session.GetAsync("/a/./b/../c?q=é", CancellationToken.None));
        Assert.Equal(200, await session.GetAsync("/health", CancellationToken.None));

        var connection = Assert.Single(_opened);
        Assert.Equal("GET /a/c?q=%C3%A9 HTTP/1.1\r\nHost: localhost\r\n\r\nGET /health HTTP/1.1\r\nHost: localhost\r\n\r\n", connection.Written);
        Assert.False(connection.Disposed);
        session.Dispose();
        Assert.True(connection.Disposed);
    }

    [Fact]
    public async Task AResponseThatEndsItsConnection_LeavesTheNextRequestANewOne()
    {
        using var session = Session("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", Ok);

        Assert.Equal(503, await session.GetAsync("/", CancellationToken.None));
        Assert.Equal(200, await session.GetAsync("/", CancellationToken.None));

        Assert.Equal(2, _opened.Count);
        Assert.True(_opened[0].Disposed);
    }

    [Fact]
    public async Task AKeptConnectionThatTheServerClosedBeforeAnswering_IsReplacedOnce()
    {
        using var session = Session(Ok, Ok);

        Assert.Equal(200, await session.GetAsync("/", CancellationToken.None));
        Assert.Equal(200, await session.GetAsync("/", CancellationToken.None));

        Assert.Equal(2, _opened.Count);
        Assert.True(_opened[0].Disposed);
        Assert.True(_opened[1].AllRead);
    }

    [Fact]
    public async Task ANewConnectionClosedBeforeAnswering_IsAnError_AndTheNextRequestOpensAnother()
    {
        using var session = Session("", Ok);

        var ex = await Assert.ThrowsAsync<IOException>(() => session.GetAsync("/", CancellationToken.None));
        Assert.Contains("closed before the warm-up's response", ex.Message, StringComparison.Ordinal);
        Assert.Single(_opened);
        Assert.True(_opened[0].Disposed);

        Assert.Equal(200, await session.GetAsync("/", CancellationToken.None));
        Assert.Equal(2, _opened.Count);
    }

    [Fact]
    public async Task AResponseCutShortOnAKeptConnection_IsAnError_NotSentAgain()
    {
        using var session = Session(Ok + "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nok", Ok);

        Assert.Equal(200, await session.GetAsync("/", CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => session.GetAsync("/", CancellationToken.None));

        Assert.Single(_opened);
        Assert.True(_opened[0].Disposed);
    }

    /// <summary>A session whose connections answer with <paramref name="responses"/>, one connection each, in turn.</summary>
    private Http1Session Session(params string[] responses) =>
        new("http://localhost", _ =>
        {
            var stream = new ScriptedStream(4096, responses[_opened.Count]);
            _opened.Add(stream);
            return Task.FromResult(new Http1Connection(stream));
        });
}
