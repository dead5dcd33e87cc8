using System.Collections;
using Procman.Protocol;

namespace Procman.Tests.Protocol;

public sealed class WorkerSettingsCodecTests
{
    /// <summary>Every property away from its default, so that a setting the codec forgets fails the round trip.</summary>
    private static readonly WorkerSettings Everything = new()
    {
        WorkerId = 3,
        ChannelFd = 7,
        ListenFds = [3, 4],
        Backlog = 64,
        HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        KeepAlive = TimeSpan.FromSeconds(5),
        MaxConnections = 1000,
        LimitRequestLine = 0,
        LimitRequestFields = 50,
        LimitRequestFieldSize = 4096,
        CertFile = "/etc/procman/cert.pem",
        KeyFile = "/etc/procman/key.pem",
        ForwardedAllowIps = "127.0.0.1,10.0.0.0/8",
        SecureSchemeHeaders = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Ssl"] = "on" },
        HttpProtocols = ["h1", "h2"],
        Http2PriorKnowledge = true,
        RootPath = "/api",
        AccessLog = "/var/log/access.log",
        AccessLogFormat = "%(h)s %(r)s",
        ProcName = "procman: worker",
        MaxRequests = 1000,
        MaxRequestsJitter = 50,
        WarmupPaths = ["/health", "/search?q=a,b"],
        WarmupRequests = 3,
        WarmupTierUpTimeout = TimeSpan.FromSeconds(7),
        WarmupTimeout = TimeSpan.FromSeconds(45),
        Credentials = new(65534, 65534, [27, 100]),
    };

    [Fact]
    public void EverySetting_SurvivesARoundTrip()
    {
        var environment = WorkerSettingsCodec.ToEnvironment(Everything);

        var read = WorkerSettingsCodec.FromEnvironment(name => environment.GetValueOrDefault(name));

        Assert.NotNull(read);
        // The settings are what can be set; what is derived from them (WarmsUp) travels with them.
        foreach (var property in typeof(WorkerSettings).GetProperties().Where(property => property.CanWrite))
        {
            AssertSame(property.Name, property.GetValue(Everything), property.GetValue(read));
            AssertDiffers(property.Name, property.GetValue(new WorkerSettings()), property.GetValue(Everything));
        }
    }

    [Theory]
    [InlineData(0, 0, false, false)]
    [InlineData(0, 10, true, true)]
    [InlineData(1, 0, true, false)]
    [InlineData(2, 10, true, false)]
    public void TheWorker_WarmsKestrelAlone_OnlyWithoutAWarmupPath_AndWithATierUpPart(int paths, int tierUpSeconds, bool warmsUp, bool serverOnly)
    {
        var settings = new WorkerSettings
        {
            WarmupPaths = [.. Enumerable.Range(1, paths).Select(i => $"/path{i}")],
            WarmupTierUpTimeout = TimeSpan.FromSeconds(tierUpSeconds),
        };

        Assert.Equal((warmsUp, serverOnly), (settings.WarmsUp, settings.WarmsServerOnly));
    }

    [Fact]
    public void DefaultSettings_WriteOnlyTheChannel_AndReadBackAsTheDefaults()
    {
        var environment = WorkerSettingsCodec.ToEnvironment(new WorkerSettings { ChannelFd = 5 });

        var read = WorkerSettingsCodec.FromEnvironment(name => environment.GetValueOrDefault(name));

        Assert.Equal(["PROCMAN_CHANNEL_FD"], environment.Keys);
        Assert.Equal(2048, read!.Backlog);
        Assert.Equal(TimeSpan.FromSeconds(1), read.HeartbeatInterval);
        Assert.Equal(WorkerSettings.DefaultAccessLogFormat, read.AccessLogFormat);
        Assert.Null(read.KeepAlive);
    }

    [Fact]
    public void FromEnvironment_ReturnsNull_InAProcessProcmanDidNotStart()
    {
        Assert.Null(WorkerSettingsCodec.FromEnvironment(_ => null));
    }

    [Fact]
    public void FromEnvironment_KeepsTheDefault_ForAValueThatDoesNotParse()
    {
        var read = WorkerSettingsCodec.FromEnvironment(name => name switch
        {
            "PROCMAN_CHANNEL_FD" => "5",
            "PROCMAN_BACKLOG" => "many",
            _ => null,
        });

        Assert.Equal(2048, read!.Backlog);
    }

    [Fact]
    public void WarmupPaths_KeepACommaInTheirQuery_AndNoneWritesNothing()
    {
        var environment = WorkerSettingsCodec.ToEnvironment(new WorkerSettings { ChannelFd = 5, WarmupPaths = ["/search?q=a,b", "/"] });

        var read = WorkerSettingsCodec.FromEnvironment(name => environment.GetValueOrDefault(name));

        Assert.Equal(["/search?q=a,b", "/"], read!.WarmupPaths);
        Assert.DoesNotContain("PROCMAN_WARMUP_PATHS", WorkerSettingsCodec.ToEnvironment(new WorkerSettings { ChannelFd = 5 }).Keys);
    }

    [Fact]
    public void Names_ListEveryVariableTheCodecWrites()
    {
        Assert.Equal(WorkerSettingsCodec.Names.Order(), WorkerSettingsCodec.ToEnvironment(Everything).Keys.Order());
    }

    private static void AssertSame(string name, object? expected, object? actual)
    {
        if (expected is IEnumerable sequence and not string)
        {
            Assert.True(sequence.Cast<object>().SequenceEqual(((IEnumerable)actual!).Cast<object>()), $"{name} changed in the round trip");
            return;
        }
        Assert.True(Equals(expected, actual), $"{name}: wrote {expected}, read {actual}");
    }

    private static void AssertDiffers(string name, object? defaultValue, object? value)
    {
        var same = defaultValue is IEnumerable sequence and not string
            ? sequence.Cast<object>().SequenceEqual(((IEnumerable)value!).Cast<object>())
            : Equals(defaultValue, value);
        Assert.False(same, $"the fixture leaves {name} at its default, so the round trip does not test it");
    }
}
