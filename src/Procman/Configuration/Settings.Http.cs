namespace Procman.Configuration;

internal static partial class Settings
{
    public const string KeepAlive = "keepalive";
    public const string WorkerConnections = "worker_connections";
    public const string LimitRequestLine = "limit_request_line";
    public const string LimitRequestFields = "limit_request_fields";
    public const string LimitRequestFieldSize = "limit_request_field_size";
    public const string CertFile = "certfile";
    public const string KeyFile = "keyfile";
    public const string ForwardedAllowIps = "forwarded_allow_ips";
    public const string SecureSchemeHeaders = "secure_scheme_headers";
    public const string RootPath = "root_path";
    public const string HttpProtocols = "http_protocols";
    public const string Http2Cleartext = "http2_cleartext";

    /// <summary>The protocols http_protocols may name, as Gunicorn names them.</summary>
    private static readonly string[] KnownHttpProtocols = ["h1", "h2"];

    private static readonly string[] Http2CleartextModes = ["off", "prior-knowledge", "upgrade", "both"];

    private const string HttpSection = "HTTP (applied by Kestrel in each worker)";

    private static SettingDefinition[] Http =>
    [
        new()
        {
            Name = KeepAlive,
            Type = SettingType.Number,
            Section = HttpSection,
            Flags = ["--keep-alive"],
            ValueName = "SECONDS",
            Help = "How long an idle keep-alive connection is kept open (Kestrel's KeepAliveTimeout).",
            Default = () => 130.0,
            DefaultText = "130 (Kestrel's default)",
            Validate = value => Positive((double)value, KeepAlive),
        },
        new()
        {
            Name = WorkerConnections,
            Type = SettingType.Integer,
            Section = HttpSection,
            Flags = ["--worker-connections"],
            ValueName = "INT",
            AllowsNone = true,
            Help = "The maximum number of simultaneous connections per worker (Kestrel's MaxConcurrentConnections); None for no limit.",
            Default = () => null,
            DefaultText = "None (no limit)",
            Validate = value => Between((int)value, 1, int.MaxValue, WorkerConnections),
        },
        new()
        {
            Name = LimitRequestLine,
            Type = SettingType.Integer,
            Section = HttpSection,
            Flags = ["--limit-request-line"],
            ValueName = "BYTES",
            Help = "The maximum size of the request line (method, target, version); a longer one gets 414. 0 means no limit.",
            Default = () => 8192,
            DefaultText = "8192 (Kestrel's default)",
            Validate = value => Between((int)value, 0, 1 << 20, LimitRequestLine),
        },
        new()
        {
            Name = LimitRequestFields,
            Type = SettingType.Integer,
            Section = HttpSection,
            Flags = ["--limit-request-fields"],
            ValueName = "INT",
            Help = "The maximum number of request header fields; more get 431.",
            Default = () => 100,
            DefaultText = "100",
            Validate = value => Between((int)value, 1, 32768, LimitRequestFields),
        },
        new()
        {
            Name = LimitRequestFieldSize,
            Type = SettingType.Integer,
            Section = HttpSection,
            Flags = ["--limit-request-field_size", "--limit-request-field-size"],
            ValueName = "BYTES",
            Help = "The maximum size of one request header field (name and value); a larger one gets 431. 0 leaves only Kestrel's 32 KB limit on all headers together.",
            Default = () => 0,
            DefaultText = "0 (no per-field limit)",
            Validate = value => Between((int)value, 0, 1 << 20, LimitRequestFieldSize),
        },
        new()
        {
            Name = CertFile,
            Type = SettingType.Text,
            Section = HttpSection,
            Flags = ["--certfile"],
            ValueName = "PATH",
            AllowsNone = true,
            Help = "TLS certificate (PEM, or PKCS#12 .pfx without a password): every socket serves HTTPS.",
            Default = () => null,
            DefaultText = "None",
        },
        new()
        {
            Name = KeyFile,
            Type = SettingType.Text,
            Section = HttpSection,
            Flags = ["--keyfile"],
            ValueName = "PATH",
            AllowsNone = true,
            Help = "The PEM private key of certfile, when it is not in the certificate file itself.",
            Default = () => null,
            DefaultText = "None",
        },
        new()
        {
            Name = ForwardedAllowIps,
            Type = SettingType.Text,
            Section = HttpSection,
            Flags = ["--forwarded-allow-ips"],
            ValueName = "IPS",
            Help = "Comma-separated proxy addresses (or *) whose X-Forwarded-For, X-Forwarded-Proto and secure_scheme_headers are trusted.",
            Default = () => "127.0.0.1,::1",
            EnvironmentVariable = "FORWARDED_ALLOW_IPS",
            DefaultText = "'127.0.0.1,::1'",
            Validate = value => ValidateIpList((string)value),
        },
        new()
        {
            Name = SecureSchemeHeaders,
            Type = SettingType.TextMap,
            Section = HttpSection,
            Help = "Headers, and their values, by which a trusted proxy says the request came over HTTPS.",
            Default = () => new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["X-FORWARDED-PROTOCOL"] = "ssl",
                ["X-FORWARDED-PROTO"] = "https",
                ["X-FORWARDED-SSL"] = "on",
            },
            DefaultText = "{'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on'}",
        },
        new()
        {
            Name = RootPath,
            Type = SettingType.Text,
            Section = HttpSection,
            Flags = ["--root-path"],
            ValueName = "PATH",
            Help = "A path prefix the app is mounted under behind a proxy (ASP.NET Core's PathBase), such as /api.",
            Default = () => "",
            DefaultText = "''",
            Validate = value => (string)value is "" or ['/', ..] ? null : $"root_path must start with '/', not '{value}'",
        },
        new()
        {
            Name = HttpProtocols,
            Type = SettingType.Text,
            Section = HttpSection,
            Flags = ["--http-protocols"],
            ValueName = "LIST",
            Help = "The HTTP versions served, in order of preference for TLS (ALPN): h1, h2 or both, comma-separated. Without TLS, h2 needs http2_cleartext.",
            Default = () => "h2,h1",
            DefaultText = "'h2,h1' (Kestrel's own default; Gunicorn's is 'h1')",
            Validate = value => ValidateHttpProtocols((string)value),
        },
        new()
        {
            Name = Http2Cleartext,
            Type = SettingType.Text,
            Section = HttpSection,
            Flags = ["--http2-cleartext"],
            ValueName = "MODE",
            Help = "HTTP/2 without TLS (h2c), for a proxy that speaks it: prior-knowledge serves a connection that opens with the HTTP/2 preface, next to HTTP/1.1 on the same socket; off serves only HTTP/1.1 there.",
            Default = () => "off",
            DefaultText = "'off'",
            Validate = value => ValidateHttp2Cleartext((string)value),
        },
    ];

    /// <summary>Parses http_protocols, already validated, into its items in order of preference.</summary>
    public static IReadOnlyList<string> ParseHttpProtocols(string value)
        => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item => item.ToLowerInvariant()).ToArray();

    private static string? ValidateHttpProtocols(string value)
    {
        var items = ParseHttpProtocols(value);
        if (items.Count == 0)
        {
            return "http_protocols names no protocol; use h1, h2 or 'h2,h1'";
        }
        foreach (var item in items)
        {
            if (item == "h3")
            {
                return "http_protocols has h3, but procman does not serve HTTP/3 (QUIC); use h1 and h2";
            }
            if (!KnownHttpProtocols.Contains(item))
            {
                return $"http_protocols has '{item}', which is not a protocol; use h1, h2 or 'h2,h1'";
            }
        }
        return items.Distinct().Count() == items.Count ? null : $"http_protocols names a protocol twice: '{value}'";
    }

    private static string? ValidateHttp2Cleartext(string value) => value.ToLowerInvariant() switch
    {
        "upgrade" or "both" => $"http2_cleartext = '{value}' needs the HTTP/1.1 'Upgrade: h2c' mechanism, which Kestrel does not implement; use 'prior-knowledge' (proxies, gRPC clients and curl --http2-prior-knowledge speak it)",
        _ => OneOf(value, Http2CleartextModes, Http2Cleartext),
    };

    private static string? ValidateIpList(string value)
    {
        if (value.Trim() == "*")
        {
            return null;
        }
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!System.Net.IPAddress.TryParse(item, out _) && !System.Net.IPNetwork.TryParse(item, out _))
            {
                return $"forwarded_allow_ips has '{item}', which is not an IP address or network; use addresses such as 10.0.0.1 or 10.0.0.0/8, or *";
            }
        }
        return null;
    }
}
