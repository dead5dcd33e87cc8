using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Procman.Worker.Hosting;

/// <summary>
/// Gunicorn's forwarded_allow_ips and secure_scheme_headers: from these proxies, X-Forwarded-For gives the client's
/// address and any one of the secure scheme headers means HTTPS.
/// </summary>
/// <remarks>
/// The middleware runs on every request, and most requests carry none of these headers (every one that does not come
/// through a proxy): it looks for the headers first and asks whether the peer is trusted only when one is there.
/// </remarks>
internal sealed class TrustedProxies
{
    private readonly bool _trustAll;
    private readonly IPAddress[] _addresses;
    private readonly System.Net.IPNetwork[] _networks;
    private readonly KeyValuePair<string, string>[] _secureSchemeHeaders;

    public TrustedProxies(string allowed, IReadOnlyDictionary<string, string> secureSchemeHeaders)
    {
        _trustAll = allowed.Trim() == "*";
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in allowed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(item, out var address))
            {
                addresses.Add(address);
            }
            else if (System.Net.IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
        }
        _addresses = [.. addresses];
        _networks = [.. networks];
        _secureSchemeHeaders = [.. secureSchemeHeaders];
    }

    public RequestDelegate Middleware(RequestDelegate next, ILoggerFactory loggers)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
        options.KnownNetworks.Clear();
        options.KnownProxies.Clear();
        if (!_trustAll)
        {
            Array.ForEach(_addresses, options.KnownProxies.Add);
            Array.ForEach(_networks, network => options.KnownNetworks.Add(new Microsoft.AspNetCore.HttpOverrides.IPNetwork(network.BaseAddress, network.PrefixLength)));
        }
        var forwarded = new ForwardedHeadersMiddleware(next, loggers, Options.Create(options));
        var forwardedFor = options.ForwardedForHeaderName;
        return context =>
        {
            var headers = context.Request.Headers;
            // Checked before the forwarded headers replace the remote address with the client's.
            if (IsSecureByHeader(headers) && IsTrusted(context.Connection.RemoteIpAddress))
            {
                context.Request.Scheme = "https";
            }
            return headers.ContainsKey(forwardedFor) ? forwarded.Invoke(context) : next(context);
        };
    }

    private bool IsSecureByHeader(IHeaderDictionary headers)
    {
        foreach (var (header, value) in _secureSchemeHeaders)
        {
            if (headers.TryGetValue(header, out var sent) && string.Equals(sent.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsTrusted(IPAddress? remote)
    {
        if (_trustAll)
        {
            return true;
        }
        if (remote is null)
        {
            return false;
        }
        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return Array.IndexOf(_addresses, address) >= 0 || Array.Exists(_networks, network => network.Contains(address));
    }
}
