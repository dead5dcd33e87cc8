using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>http_protocols and http2_cleartext, checked with curl as a client outside .NET.</summary>
public sealed class Http2Tests
{
    [Fact]
    public async Task PriorKnowledge_ServesHttp2AndHttp1_OnOneCleartextSocket()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 2, "--http2-cleartext", "prior-knowledge");
        var url = $"{procman.BaseAddress}protocol";

        var http2 = await Tool.RunAsync("curl", "-sS", "--http2-prior-knowledge", url);
        var http1 = await Tool.RunAsync("curl", "-sS", "--http1.1", url);
        using var client = procman.CreateClient();

        Assert.True(http2.ExitCode == 0, http2.Errors);
        Assert.Equal("HTTP/2\n", http2.Output);
        Assert.Equal("HTTP/1.1\n", http1.Output);
        Assert.Equal("HTTP/1.1\n", await client.GetStringAsync("/protocol"));
    }

    [Fact]
    public async Task PriorKnowledge_ServesManyConcurrentRequests_OnOneHttp2Connection()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--http2-cleartext", "prior-knowledge");
        // curl 7.88 cannot reuse a prior-knowledge connection (it fails the second request with a framing error
        // against Kestrel with or without procman); .NET's client multiplexes on one connection.
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 })
        {
            BaseAddress = procman.BaseAddress,
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var bodies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetStringAsync("/protocol")));

        Assert.All(bodies, body => Assert.Equal("HTTP/2\n", body));
    }

    [Fact]
    public async Task PriorKnowledge_WithHttp2Alone_ServesOnlyHttp2()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--http2-cleartext", "prior-knowledge", "--http-protocols", "h2");
        var url = $"{procman.BaseAddress}protocol";

        var http2 = await Tool.RunAsync("curl", "-sS", "--http2-prior-knowledge", url);
        var http1 = await Tool.RunAsync("curl", "-sS", "--http1.1", url);

        Assert.Equal("HTTP/2\n", http2.Output);
        Assert.NotEqual("HTTP/1.1\n", http1.Output);
    }

    [Fact]
    public async Task Cleartext_ByDefault_ServesHttp1Only()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1);
        var url = $"{procman.BaseAddress}protocol";

        var http2 = await Tool.RunAsync("curl", "-sS", "--http2-prior-knowledge", url);
        var http1 = await Tool.RunAsync("curl", "-sS", url);

        Assert.NotEqual("HTTP/2\n", http2.Output);
        Assert.Equal("HTTP/1.1\n", http1.Output);
    }

    [Theory]
    [InlineData("h2,h1", "HTTP/2\n")]
    [InlineData("h1,h2", "HTTP/1.1\n")]
    [InlineData("h1", "HTTP/1.1\n")]
    public async Task Tls_NegotiatesTheProtocol_InTheOrderOfHttpProtocols(string protocols, string expected)
    {
        using var files = new TempDirectory();
        var (certFile, keyFile) = await Tool.SelfSignedCertificateAsync(files);
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1, "--certfile", certFile, "--keyfile", keyFile, "--http-protocols", protocols);

        // curl offers h2 first and http/1.1 second: which one is served is the server's preference.
        var result = await Tool.RunAsync("curl", "-sS", "-k", "--http2", $"https://127.0.0.1:{procman.Port}/protocol");

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Equal(expected, result.Output);
    }
}
