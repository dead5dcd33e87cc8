using Procman.Workers;

namespace Procman.Tests.Workers;

public sealed class DotnetHostTests
{
    private static readonly Dictionary<string, string> NoFiles = [];

    private static string Find(Dictionary<string, string?> variables, string? processPath, string? runtimeRoot, Dictionary<string, string> files) =>
        DotnetHost.Find(name => variables.GetValueOrDefault(name), processPath, runtimeRoot, files.ContainsKey, path => files[path]);

    [Fact]
    public void Find_UnderTheDotnetHost_IsThatHost() =>
        Assert.Equal("/opt/dotnet/dotnet", Find([], "/opt/dotnet/dotnet", "/opt/dotnet", NoFiles));

    [Fact]
    public void Find_DotnetRootWins_OverTheRuntimeProcmanRunsOn() =>
        Assert.Equal("/root/.dotnet/dotnet", Find(new() { ["DOTNET_ROOT"] = "/root/.dotnet" }, "/usr/bin/procman", "/usr/share/dotnet",
            new() { ["/root/.dotnet/dotnet"] = "", ["/usr/share/dotnet/dotnet"] = "" }));

    [Fact]
    public void Find_ForTheApphost_IsTheRootOfItsRuntime() =>
        Assert.Equal("/usr/share/dotnet/dotnet", Find(new() { ["PATH"] = "/usr/local/bin:/usr/bin" }, "/srv/procman/procman", "/usr/share/dotnet",
            new() { ["/usr/share/dotnet/dotnet"] = "", ["/usr/bin/dotnet"] = "" }));

    [Fact]
    public void Find_ForTheNativeExecutable_IsTheFirstOnPath() =>
        Assert.Equal("/usr/bin/dotnet", Find(new() { ["PATH"] = "/usr/local/bin::relative:/usr/bin:/bin" }, "/srv/procman/procman", null,
            new() { ["/usr/bin/dotnet"] = "", ["/bin/dotnet"] = "", ["relative/dotnet"] = "" }));

    [Fact]
    public void Find_OffPath_IsTheRegisteredInstallLocation()
    {
        var architecture = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

        Assert.Equal("/usr/lib/dotnet/dotnet", Find(new() { ["PATH"] = "/usr/sbin" }, "/srv/procman/procman", null,
            new() { ["/etc/dotnet/install_location"] = "/usr/lib/dotnet\n", ["/usr/lib/dotnet/dotnet"] = "" }));
        Assert.Equal("/opt/dotnet-arch/dotnet", Find([], "/srv/procman/procman", null,
            new() { [$"/etc/dotnet/install_location_{architecture}"] = "/opt/dotnet-arch", ["/etc/dotnet/install_location"] = "/usr/lib/dotnet", ["/opt/dotnet-arch/dotnet"] = "" }));
    }

    [Fact]
    public void Find_NowhereToBeFound_IsTheBareName_SoThatSpawningSaysWhy() =>
        Assert.Equal("dotnet", Find(new() { ["DOTNET_ROOT"] = "/nonexistent", ["PATH"] = "/usr/bin" }, "/srv/procman/procman", null, NoFiles));
}
