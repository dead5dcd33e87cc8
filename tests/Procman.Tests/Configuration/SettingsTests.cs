using Procman.Configuration;

namespace Procman.Tests.Configuration;

public sealed class SettingsTests
{
    public static TheoryData<string, string, object?> ValidText => new()
    {
        { Settings.Workers, "4", 4 },
        { Settings.Backlog, "64", 64 },
        { Settings.GracefulTimeout, "2.5", 2.5 },
        { Settings.Timeout, "0", 0.0 },
        { Settings.KeepAlive, "75", 75.0 },
        { Settings.WorkerConnections, "None", null },
        { Settings.WorkerConnections, "500", 500 },
        { Settings.LimitRequestLine, "0", 0 },
        { Settings.LimitRequestFields, "32768", 32768 },
        { Settings.Umask, "022", 18 },
        { Settings.Umask, "0o077", 63 },
        { Settings.Umask, "7", 7 },
        { Settings.Reload, "true", true },
        { Settings.CaptureOutput, "off", false },
        { Settings.LogLevel, "DEBUG", "DEBUG" },
        { Settings.ForwardedAllowIps, "*", "*" },
        { Settings.ForwardedAllowIps, "10.0.0.0/8, 192.168.1.1", "10.0.0.0/8, 192.168.1.1" },
        { Settings.RootPath, "/api", "/api" },
        { Settings.PidFile, "/run/procman.pid", "/run/procman.pid" },
        { Settings.GracefulTimeout, "2147483", 2147483.0 },
        { Settings.Timeout, "2147483", 2147483.0 },
        { Settings.MaxWorkerLifetime, "0", 0.0 },
        { Settings.MaxWorkerMemory, "32MB", "32MB" },
        { Settings.Bind, "unix:/" + new string('s', 106), new[] { "unix:/" + new string('s', 106) } },
        { Settings.HttpProtocols, "h2, h1", "h2, h1" },
        { Settings.HttpProtocols, "h1", "h1" },
        { Settings.Http2Cleartext, "prior-knowledge", "prior-knowledge" },
        { Settings.Http2Cleartext, "off", "off" },
    };

    public static TheoryData<string, object?, string> InvalidConfigValues => new()
    {
        { Settings.GracefulTimeout, double.PositiveInfinity, "graceful_timeout must be more than 0 and at most 2147483 seconds (24.8 days, the longest .NET timers wait), not inf" },
        { Settings.Timeout, double.NaN, "timeout must be from 0 (off) to 2147483 seconds (24.8 days, the longest .NET timers wait), not nan" },
        { Settings.KeepAlive, double.NegativeInfinity, "keepalive must be more than 0 and at most 2147483 seconds (24.8 days, the longest .NET timers wait), not -inf" },
        { Settings.MaxWorkerLifetime, (long)1e12, "max_worker_lifetime must be from 0 (off) to 2147483 seconds" },
        { Settings.BootTimeout, 1e300, "boot_timeout must be more than 0 and at most 2147483 seconds" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigValues))]
    public void TryConvert_RejectsADurationNoTimerCanWait_AsItDoesOnTheCommandLine(string name, object? python, string expected)
    {
        Assert.False(Settings.Get(name).TryConvert(python, out var value, out var error));
        Assert.Null(value);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void EveryDuration_HasAnUpperBound_ThatTheWorkersTimersAccept()
    {
        // A worker's host gets graceful_timeout as whole seconds that end in CancellationTokenSource.CancelAfter, and
        // int milliseconds are the narrowest timer unit .NET has: both must hold the longest duration any setting allows.
        var longest = TimeSpan.FromSeconds(Settings.MaxSeconds);
        Assert.True(longest.TotalMilliseconds <= int.MaxValue);
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromSeconds(Math.Ceiling(longest.TotalSeconds)));
        foreach (var setting in Settings.All.Where(setting => setting.Type == SettingType.Number))
        {
            Assert.True(setting.TryParse(Settings.MaxSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), out _, out _), setting.Name);
            Assert.False(setting.TryParse((Settings.MaxSeconds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), out _, out _), setting.Name);
        }
    }

    public static TheoryData<string, string, string> InvalidText => new()
    {
        { Settings.Workers, "0", "workers must be between 1 and 1024, not 0" },
        { Settings.Workers, "2.5", "'2.5' is not a whole number" },
        { Settings.Backlog, "0", "backlog must be between 1 and 65535, not 0" },
        { Settings.GracefulTimeout, "-1", "graceful_timeout must be more than 0 and at most 2147483 seconds (24.8 days, the longest .NET timers wait), not -1" },
        { Settings.Timeout, "-1", "timeout must be from 0 (off) to 2147483 seconds (24.8 days, the longest .NET timers wait), not -1" },
        { Settings.BootTimeout, "soon", "'soon' is not a number" },
        { Settings.KeepAlive, "0", "keepalive must be more than 0 and at most 2147483 seconds" },
        { Settings.Timeout, "1e300", "timeout must be from 0 (off) to 2147483 seconds (24.8 days, the longest .NET timers wait), not 1E+300" },
        { Settings.GracefulTimeout, "1e9", "graceful_timeout must be more than 0 and at most 2147483 seconds" },
        { Settings.GracefulTimeout, "1e300", "graceful_timeout must be more than 0 and at most 2147483 seconds" },
        { Settings.BootTimeout, "1e300", "boot_timeout must be more than 0 and at most 2147483 seconds" },
        { Settings.KeepAlive, "1e300", "keepalive must be more than 0 and at most 2147483 seconds" },
        { Settings.MaxWorkerLifetime, "1e12", "max_worker_lifetime must be from 0 (off) to 2147483 seconds" },
        { Settings.MaxWorkerLifetimeJitter, "1e12", "max_worker_lifetime_jitter must be from 0 (off) to 2147483 seconds" },
        { Settings.MaxWorkerLifetime, "-0.5", "max_worker_lifetime must be from 0 (off) to 2147483 seconds" },
        { Settings.Timeout, "NaN", "'NaN' is not a number" },
        { Settings.Timeout, "inf", "'inf' is not a number" },
        { Settings.MaxRequestsJitter, "2147483647", "max_requests_jitter must be between 0 and 2147483646, not 2147483647" },
        { Settings.MaxWorkerMemory, "400", "max_worker_memory must be at least 32MB (no .NET worker runs in less, so every worker would be recycled), not 400 bytes" },
        { Settings.MaxWorkerMemory, "lots", "'lots' is not a size" },
        { Settings.Bind, "unix:/" + new string('s', 107), "the path is 108 bytes, and a unix socket path has at most 107 (the 108-byte sun_path with its closing NUL)" },
        { Settings.WorkerConnections, "0", "worker_connections must be between 1" },
        { Settings.LimitRequestFields, "40000", "limit_request_fields must be between 1 and 32768, not 40000" },
        { Settings.Umask, "0999", "'0999' is not a umask; use octal such as 022 or 0o022" },
        { Settings.Umask, "01000", "umask must be between 0 and 511, not 512" },
        { Settings.Reload, "maybe", "'maybe' is not true or false" },
        { Settings.LogFormat, "xml", "log_format must be one of text, json, not 'xml'" },
        { Settings.RootPath, "api", "root_path must start with '/', not 'api'" },
        { Settings.WarmupPath, "health", "warmup_path must start with '/' (a path as a client sends it, such as /health), not 'health'" },
        { Settings.WarmupPath, "/a b", "warmup_path must not contain spaces or control characters (percent-encode them), not '/a b'" },
        { Settings.WarmupRequests, "0", "warmup_requests must be between 1 and 10000, not 0" },
        { Settings.RawEnv, "NOVALUE", "environment entry 'NOVALUE' is not KEY=VALUE" },
        { Settings.Bind, "[::1", "unclosed '['" },
        { Settings.HttpProtocols, "h2,h3", "procman does not serve HTTP/3 (QUIC); use h1 and h2" },
        { Settings.HttpProtocols, "spdy", "http_protocols has 'spdy', which is not a protocol" },
        { Settings.HttpProtocols, "h1,h1", "http_protocols names a protocol twice" },
        { Settings.HttpProtocols, " , ", "http_protocols names no protocol" },
        { Settings.Http2Cleartext, "upgrade", "needs the HTTP/1.1 'Upgrade: h2c' mechanism, which Kestrel does not implement; use 'prior-knowledge'" },
        { Settings.Http2Cleartext, "both", "which Kestrel does not implement" },
        { Settings.Http2Cleartext, "on", "http2_cleartext must be one of off, prior-knowledge, upgrade, both, not 'on'" },
    };

    [Theory]
    [MemberData(nameof(ValidText))]
    public void TryParse_AcceptsValidText(string name, string text, object? expected)
    {
        Assert.True(Settings.Get(name).TryParse(text, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [MemberData(nameof(InvalidText))]
    public void TryParse_RejectsInvalidText_SayingWhy(string name, string text, string expected)
    {
        Assert.False(Settings.Get(name).TryParse(text, out var value, out var error));
        Assert.Null(value);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void EverySetting_HasAUniqueNameHelpDefaultAndValidDefault()
    {
        Assert.Equal(Settings.All.Count, Settings.All.Select(s => s.Name).Distinct().Count());
        Assert.Equal(Settings.All.Sum(s => s.Flags.Count), Settings.All.SelectMany(s => s.Flags).Distinct().Count());
        foreach (var setting in Settings.All.Where(s => s.Name is not Settings.User and not Settings.Group))
        {
            Assert.False(string.IsNullOrWhiteSpace(setting.Help), setting.Name);
            var value = setting.Default();
            Assert.True(value is null ? setting.AllowsNone : setting.Validate?.Invoke(value) is null, $"{setting.Name}'s default is invalid");
        }
    }


    [Fact]
    public void SettingsReference_InTheDocs_IsUpToDate()
    {
        var path = Path.Combine(Repository.Root, "docs", "settings.md");
        var expected = SettingsReference.Render();
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }
        Assert.True(File.Exists(path) && File.ReadAllText(path) == expected,
            "docs/settings.md is out of date; regenerate it with: UPDATE_DOCS=1 dotnet test tests/Procman.Tests --filter SettingsReference");
    }
}
