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
    ];

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
