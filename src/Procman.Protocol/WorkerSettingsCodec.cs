using System.Globalization;

namespace Procman.Protocol;

/// <summary>
/// Writes <see cref="WorkerSettings"/> into environment variables and reads them back: the one place that
/// knows each variable's name and text form.
/// </summary>
/// <remarks>
/// A variable is written only when its property differs from the default, and a missing or unreadable one
/// reads as the default: the defaults live in <see cref="WorkerSettings"/> alone.
/// </remarks>
public static class WorkerSettingsCodec
{
    private static readonly WorkerSettings Defaults = new();

    // One entry per setting. The channel fd comes first: its presence is what marks a procman worker.
    private static readonly Entry[] Entries =
    [
        Entry.Of("PROCMAN_CHANNEL_FD", s => s.ChannelFd, (s, v) => s with { ChannelFd = v }, Codecs.Int),
        Entry.Of("PROCMAN_WORKER_ID", s => s.WorkerId, (s, v) => s with { WorkerId = v }, Codecs.Int),
        Entry.Of("PROCMAN_LISTEN_FDS", s => s.ListenFds, (s, v) => s with { ListenFds = v }, Codecs.IntList),
        Entry.Of("PROCMAN_BACKLOG", s => s.Backlog, (s, v) => s with { Backlog = v }, Codecs.Int),
        Entry.Of("PROCMAN_HEARTBEAT_MS", s => s.HeartbeatInterval, (s, v) => s with { HeartbeatInterval = v }, Codecs.Milliseconds),
        Entry.Of("PROCMAN_KEEPALIVE_MS", s => s.KeepAlive, (s, v) => s with { KeepAlive = v }, Codecs.Optional(Codecs.Milliseconds)),
        Entry.Of("PROCMAN_MAX_CONNECTIONS", s => s.MaxConnections, (s, v) => s with { MaxConnections = v }, Codecs.Optional(Codecs.Long)),
        Entry.Of("PROCMAN_LIMIT_REQUEST_LINE", s => s.LimitRequestLine, (s, v) => s with { LimitRequestLine = v }, Codecs.Optional(Codecs.Int)),
        Entry.Of("PROCMAN_LIMIT_REQUEST_FIELDS", s => s.LimitRequestFields, (s, v) => s with { LimitRequestFields = v }, Codecs.Optional(Codecs.Int)),
        Entry.Of("PROCMAN_LIMIT_REQUEST_FIELD_SIZE", s => s.LimitRequestFieldSize, (s, v) => s with { LimitRequestFieldSize = v }, Codecs.Int),
        Entry.Of("PROCMAN_CERTFILE", s => s.CertFile, (s, v) => s with { CertFile = v }, Codecs.Text),
        Entry.Of("PROCMAN_KEYFILE", s => s.KeyFile, (s, v) => s with { KeyFile = v }, Codecs.Text),
        Entry.Of("PROCMAN_FORWARDED_ALLOW_IPS", s => s.ForwardedAllowIps, (s, v) => s with { ForwardedAllowIps = v }, Codecs.Text),
        Entry.Of("PROCMAN_SECURE_SCHEME_HEADERS", s => s.SecureSchemeHeaders, (s, v) => s with { SecureSchemeHeaders = v }, Codecs.Map),
        Entry.Of("PROCMAN_HTTP_PROTOCOLS", s => s.HttpProtocols, (s, v) => s with { HttpProtocols = v }, Codecs.TextList),
        Entry.Of("PROCMAN_HTTP2_PRIOR_KNOWLEDGE", s => s.Http2PriorKnowledge, (s, v) => s with { Http2PriorKnowledge = v }, Codecs.Flag),
        Entry.Of("PROCMAN_ROOT_PATH", s => s.RootPath, (s, v) => s with { RootPath = v }, Codecs.Text),
        Entry.Of("PROCMAN_ACCESS_LOG", s => s.AccessLog, (s, v) => s with { AccessLog = v }, Codecs.Text),
        Entry.Of("PROCMAN_ACCESS_LOG_FORMAT", s => s.AccessLogFormat, (s, v) => s with { AccessLogFormat = v! }, Codecs.Text),
        Entry.Of("PROCMAN_PROC_NAME", s => s.ProcName, (s, v) => s with { ProcName = v }, Codecs.Text),
        Entry.Of("PROCMAN_MAX_REQUESTS", s => s.MaxRequests, (s, v) => s with { MaxRequests = v }, Codecs.Long),
        Entry.Of("PROCMAN_MAX_REQUESTS_JITTER", s => s.MaxRequestsJitter, (s, v) => s with { MaxRequestsJitter = v }, Codecs.Int),
        Entry.Of("PROCMAN_WARMUP_PATHS", s => s.WarmupPaths, (s, v) => s with { WarmupPaths = v }, Codecs.Lines),
        Entry.Of("PROCMAN_WARMUP_REQUESTS", s => s.WarmupRequests, (s, v) => s with { WarmupRequests = v }, Codecs.Int),
        Entry.Of("PROCMAN_WARMUP_TIER_UP_MS", s => s.WarmupTierUpTimeout, (s, v) => s with { WarmupTierUpTimeout = v }, Codecs.Milliseconds),
        Entry.Of("PROCMAN_WARMUP_TIMEOUT_MS", s => s.WarmupTimeout, (s, v) => s with { WarmupTimeout = v }, Codecs.Milliseconds),
        Entry.Of("PROCMAN_CREDENTIALS", s => s.Credentials, (s, v) => s with { Credentials = v }, Codecs.Credentials),
    ];

    /// <summary>Every variable the codec may write, so that an inherited one is cleared before a worker starts and after it has read them.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(entry => entry.Name).ToArray();

    /// <summary>The variables for <paramref name="settings"/>; a setting at its default is left out.</summary>
    public static IReadOnlyDictionary<string, string> ToEnvironment(WorkerSettings settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (entry.Format(settings) is { } text && text != entry.Format(Defaults))
            {
                environment[entry.Name] = text;
            }
        }
        return environment;
    }

    /// <summary>Reads the settings through <paramref name="read"/>, or returns null when the process was not started by procman.</summary>
    public static WorkerSettings? FromEnvironment(Func<string, string?> read)
    {
        if (string.IsNullOrEmpty(read(Entries[0].Name)))
        {
            return null;
        }
        var settings = Defaults;
        foreach (var entry in Entries)
        {
            if (read(entry.Name) is { Length: > 0 } text)
            {
                settings = entry.Parse(settings, text);
            }
        }
        return settings;
    }

    private sealed class Entry
    {
        private Entry(string name, Func<WorkerSettings, string?> format, Func<WorkerSettings, string, WorkerSettings> parse)
        {
            Name = name;
            Format = format;
            Parse = parse;
        }

        public string Name { get; }

        /// <summary>The setting's text, or null when it has none to write.</summary>
        public Func<WorkerSettings, string?> Format { get; }

        /// <summary>The settings with this one read from its text; unchanged when the text does not parse.</summary>
        public Func<WorkerSettings, string, WorkerSettings> Parse { get; }

        public static Entry Of<T>(string name, Func<WorkerSettings, T> get, Func<WorkerSettings, T, WorkerSettings> set, Codec<T> codec)
            => new(name, settings => codec.Format(get(settings)), (settings, text) => codec.TryParse(text, out var value) ? set(settings, value) : settings);
    }

    private sealed record Codec<T>(Func<T, string?> Format, TryParse<T> TryParse);

    private delegate bool TryParse<T>(string text, out T value);

    private static class Codecs
    {
        public static readonly Codec<int> Int = new(
            value => value.ToString(CultureInfo.InvariantCulture),
            (string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));

        public static readonly Codec<long> Long = new(
            value => value.ToString(CultureInfo.InvariantCulture),
            (string text, out long value) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));

        public static readonly Codec<TimeSpan> Milliseconds = new(
            value => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            (string text, out TimeSpan value) =>
            {
                var ok = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds);
                value = TimeSpan.FromMilliseconds(milliseconds);
                return ok;
            });

        public static readonly Codec<string?> Text = new(value => value, (string text, out string? value) =>
        {
            value = text;
            return true;
        });

        public static readonly Codec<bool> Flag = new(
            value => value ? "1" : "0",
            (string text, out bool value) =>
            {
                value = text == "1";
                return text is "0" or "1";
            });

        // Items hold no comma (protocol names).
        public static readonly Codec<IReadOnlyList<string>> TextList = new(
            value => string.Join(',', value),
            (string text, out IReadOnlyList<string> value) =>
            {
                value = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
                return value.Count > 0;
            });

        // One item a line: a request path may hold a comma (in its query), never a newline.
        public static readonly Codec<IReadOnlyList<string>> Lines = new(
            value => value.Count == 0 ? null : string.Join('\n', value),
            (string text, out IReadOnlyList<string> value) =>
            {
                value = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                return true;
            });

        public static readonly Codec<IReadOnlyList<int>> IntList = new(
            value => value.Count == 0 ? null : string.Join(',', value.Select(fd => fd.ToString(CultureInfo.InvariantCulture))),
            (string text, out IReadOnlyList<int> value) =>
            {
                var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
                var numbers = new int[parts.Length];
                for (var i = 0; i < parts.Length; i++)
                {
                    if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                    {
                        value = [];
                        return false;
                    }
                }
                value = numbers;
                return true;
            });

        // HEADER=VALUE pairs, one a line: a header name holds neither = nor a newline.
        public static readonly Codec<IReadOnlyDictionary<string, string>> Map = new(
            value => value.Count == 0 ? null : string.Join('\n', value.Select(pair => $"{pair.Key}={pair.Value}")),
            (string text, out IReadOnlyDictionary<string, string> value) =>
            {
                value = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(pair => pair.Split('=', 2))
                    .Where(pair => pair.Length == 2)
                    .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
                return true;
            });

        public static readonly Codec<WorkerCredentials?> Credentials = new(
            value => value?.Format(),
            (string text, out WorkerCredentials? value) =>
            {
                value = WorkerCredentials.Parse(text);
                return value is not null;
            });

        public static Codec<T?> Optional<T>(Codec<T> inner)
            where T : struct
            => new(
                value => value is { } present ? inner.Format(present) : null,
                (string text, out T? value) =>
                {
                    var ok = inner.TryParse(text, out var parsed);
                    value = ok ? parsed : null;
                    return ok;
                });
    }
}
