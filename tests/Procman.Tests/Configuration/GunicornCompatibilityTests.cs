using Procman.Cli;
using Procman.Configuration;

namespace Procman.Tests.Configuration;

/// <summary>procman against Gunicorn's own list of settings: every one is implemented, ignored with a warning, or a hook.</summary>
public sealed class GunicornCompatibilityTests
{
    public static TheoryData<string> GunicornFlags
    {
        get
        {
            var flags = new TheoryData<string>();
            foreach (var (_, _, names) in GunicornReference.All)
            {
                foreach (var flag in names.Where(flag => flag is not "--print-config" and not "--check-config"))
                {
                    flags.Add(flag);
                }
            }
            return flags;
        }
    }

    [Fact]
    public void EveryGunicornSetting_IsAProcmanSetting_OrIgnoredWithAReason_OrAHook()
    {
        foreach (var (name, kind, _) in GunicornReference.All)
        {
            var implemented = Settings.TryGet(name, out _);
            var ignored = GunicornCompatibility.TryGetIgnored(name, out var ignoredSetting);
            if (kind == "hook")
            {
                Assert.Contains(name, GunicornCompatibility.Hooks);
            }
            else
            {
                Assert.True(implemented ^ ignored, $"{name} must be either a procman setting or ignored with a reason");
                Assert.True(!ignored || !string.IsNullOrWhiteSpace(ignoredSetting!.IgnoredBecause), name);
            }
        }
    }

    [Fact]
    public void IgnoredSettings_AreAllGunicornsAndNoneIsAlsoAProcmanSetting()
    {
        var gunicorn = GunicornReference.All.Select(setting => setting.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(GunicornCompatibility.IgnoredSettings, setting => Assert.Contains(setting.Name, gunicorn));
        Assert.All(GunicornCompatibility.IgnoredSettings, setting => Assert.False(Settings.TryGet(setting.Name, out _), setting.Name));
        Assert.All(GunicornCompatibility.Hooks, hook => Assert.Contains(hook, gunicorn));
    }

    [Fact]
    public void IgnoredFlags_TakeAValueExactlyWhenGunicornsDo()
    {
        foreach (var (name, kind, flags) in GunicornReference.All.Where(setting => GunicornCompatibility.TryGetIgnored(setting.Name, out _)))
        {
            GunicornCompatibility.TryGetIgnored(name, out var setting);
            Assert.Equal(flags.Order(StringComparer.Ordinal), setting!.Flags.Order(StringComparer.Ordinal));
            var expected = kind switch
            {
                "flag" => (SettingType.Boolean, false),
                "optional" => (SettingType.Text, true),
                "repeatable" => (SettingType.TextList, false),
                _ => (SettingType.Text, false),
            };
            Assert.Equal(expected, (setting.Type, setting.ValueIsOptional));
        }
    }

    [Theory]
    [MemberData(nameof(GunicornFlags))]
    public void EveryGunicornFlag_IsAccepted(string flag)
    {
        var (name, kind, _) = GunicornReference.All.Single(setting => setting.Flags.Contains(flag));
        string[] words = kind is "flag" or "optional" ? [flag] : [flag, "1"];

        var inputs = RunCommand.ParseSettingArguments(words);

        Assert.Equal(name, Assert.Single(inputs).Setting.Name);
    }

    [Fact]
    public void AGunicornCmdArgsString_WorksAsProcmanCmdArgs()
    {
        var environment = new FakeEnvironment((ConfigurationLoader.CommandArgumentsVariable,
            "--bind=0.0.0.0:8080 --workers=3 --worker-class=gthread --threads=8 --timeout 120 --preload --access-logfile - --log-level=debug -R"));

        var loaded = new ConfigurationLoader(environment, RunCommand.ParseSettingArguments).Load([]);

        Assert.Equal(3, loaded.Values.Get<int>(Settings.Workers));
        Assert.Equal(["0.0.0.0:8080"], loaded.Values.Get<IReadOnlyList<string>>(Settings.Bind));
        Assert.Equal(120.0, loaded.Values.Get<double>(Settings.Timeout));
        Assert.Equal("-", loaded.Values[Settings.AccessLog]);
        Assert.Equal(4, loaded.Warnings.Count);
        Assert.All(loaded.Warnings, warning => Assert.StartsWith("PROCMAN_CMD_ARGS: --", warning));
    }
}
