using System.Globalization;
using System.Text.Json;

namespace Procman.Tests.Master;

public sealed class MasterRuntimeConfigTests
{
    // Ample for the master, whose live heap is under 1 MB; far below what the GC derives from a large L3 cache.
    private const long MaxGen0Budget = 8 * 1024 * 1024;

    [Fact]
    public void TheMastersRuntimeConfig_TurnsDynamicPgoOff_SoTheJitsWarmUpDoesNotStayInItsRss()
    {
        var properties = ConfigProperties();

        Assert.True(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo), "procman.runtimeconfig.json sets no System.Runtime.TieredPGO");
        Assert.Equal(JsonValueKind.False, pgo.ValueKind);
    }

    [Fact]
    public void TheMastersRuntimeConfig_CapsTheGen0Budget_SoItsGarbageIsCollectedWhateverTheCacheSize()
    {
        var properties = ConfigProperties();

        Assert.True(properties.TryGetProperty("System.GC.Gen0MaxBudget", out var budget), "procman.runtimeconfig.json sets no System.GC.Gen0MaxBudget");
        var bytes = budget.ValueKind == JsonValueKind.Number ? budget.GetInt64() : long.Parse(budget.GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(bytes, 1024 * 1024, MaxGen0Budget);
    }

    [Fact]
    public void TheMastersRuntimeConfig_TiersUpAMethodAtItsFirstCall_SoTheIdleLoopIsOptimizedBeforeItRests()
    {
        var properties = ConfigProperties();

        Assert.True(properties.TryGetProperty("System.Runtime.TieredCompilation.CallCountThreshold", out var threshold),
            "procman.runtimeconfig.json sets no System.Runtime.TieredCompilation.CallCountThreshold");
        Assert.Equal(1, Int(threshold));
        Assert.True(properties.TryGetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs", out var delay),
            "procman.runtimeconfig.json sets no System.Runtime.TieredCompilation.CallCountingDelayMs");
        Assert.InRange(Int(delay), 1000, 5000);
    }

    private static int Int(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    /// <summary>procman.runtimeconfig.json, copied beside this assembly with procman.dll as it is shipped.</summary>
    private static JsonElement ConfigProperties()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "procman.runtimeconfig.json")));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
