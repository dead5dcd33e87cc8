using System.Net;
using Microsoft.AspNetCore.Http;
using Procman.Worker.Hosting;

namespace Procman.Tests.Worker;

public sealed class AccessLogFormatTests
{
    [Fact]
    public void GunicornAtoms_RenderFromTheRequestAndResponse()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        context.Request.Method = "GET";
        context.Request.PathBase = "/api";
        context.Request.Path = "/items";
        context.Request.QueryString = new QueryString("?page=2");
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Headers.UserAgent = "curl/8";
        context.Request.Headers["X-Request-Id"] = "abc";
        context.Response.StatusCode = 201;
        context.Response.ContentLength = 42;
        context.Response.Headers["X-Served-By"] = "w1";

        var line = new AccessLogFormat("%(h)s %(l)s \"%(r)s\" %(s)s %(b)s %(B)s \"%(f)s\" \"%(a)s\" %(m)s %(U)s %(q)s %(H)s %({x-request-id}i)s %({x-served-by}o)s %(M)s %(D)s 100%")
            .Render(context, TimeSpan.FromMilliseconds(12.5));

        Assert.Equal("203.0.113.7 - \"GET /api/items?page=2 HTTP/1.1\" 201 42 42 \"-\" \"curl/8\" GET /api/items page=2 HTTP/1.1 abc w1 12 12500 100%", line);
    }

    [Fact]
    public void TimeAtom_IsInGunicornsBracketedFormat()
    {
        var line = new AccessLogFormat("%(t)s").Render(new DefaultHttpContext(), TimeSpan.Zero);

        Assert.Matches(@"^\[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]$", line);
    }

    [Fact]
    public void UnknownBodyLength_IsADashForLowercaseB_AndZeroForUppercaseB()
        => Assert.Equal("- 0", new AccessLogFormat("%(b)s %(B)s").Render(new DefaultHttpContext(), TimeSpan.Zero));
}
