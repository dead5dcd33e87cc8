namespace Procman.Tests.Build;

/// <summary>
/// The startup hook is loaded into apps of .NET 8, 9 and 10 from beside procman: it must stay IL, whatever a
/// Release build does to procman itself (a native executable, docs/benchmarks.md "Native AOT").
/// </summary>
public sealed class StartupHookBuildTests
{
    // This assembly runs from artifacts/bin/Procman.Tests/<configuration>/, beside procman's output.
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory).Name;

    private static string ProcmanOutput(string file) =>
        Path.Combine(Repository.Root, "artifacts", "bin", "Procman", Configuration, file);

    [Theory]
    [InlineData("Procman.Worker.dll")]
    [InlineData("Procman.Protocol.dll")]
    public void StartupHookAndItsProtocol_StayIl_ForAppsOfEveryDotnetVersion(string file) =>
        Assert.False(ReadyToRunImage.IsReadyToRun(ProcmanOutput(file)));
}
