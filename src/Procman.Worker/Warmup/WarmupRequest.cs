using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Procman.Worker.Warmup;

/// <summary>
/// The features of one warm-up request, and the mark that tells procman's own middleware to leave it out of the
/// access log and the request counts: its presence among a request's features is what makes it a warm-up request.
/// </summary>
/// <remarks>
/// A request arrives as the loopback client a local health check would be, with <c>Host: localhost</c>, so that
/// the app's middleware (forwarded headers, host filtering, HTTPS redirection) treats it as it would such a client.
/// </remarks>
internal sealed class WarmupRequest
{
    private const string Host = "localhost";
    private const string ConnectionId = "procman-warmup";

    private static readonly WarmupRequest Mark = new();

    private WarmupRequest()
    {
    }

    /// <summary>Whether <paramref name="context"/> is a warm-up request.</summary>
    public static bool Marks(HttpContext context) => context.Features.Get<WarmupRequest>() is not null;

    /// <summary>A GET of <paramref name="target"/> (a path and its query) that <paramref name="response"/> answers.</summary>
    public static IFeatureCollection Features(string target, bool https, WarmupResponse response, CancellationToken aborted)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var request = new HttpRequestFeature
        {
            Protocol = HttpProtocol.Http11,
            Method = HttpMethods.Get,
            Scheme = https ? Uri.UriSchemeHttps : Uri.UriSchemeHttp,
            PathBase = "",
            Path = Uri.UnescapeDataString(query < 0 ? target : target[..query]),
            QueryString = query < 0 ? "" : target[query..],
            RawTarget = target,
            Body = Stream.Null,
        };
        request.Headers.Host = Host;
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = aborted });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = ConnectionId,
            LocalIpAddress = IPAddress.Loopback,
            RemoteIpAddress = IPAddress.Loopback,
        });
        features.Set(Mark);
        return features;
    }
}
