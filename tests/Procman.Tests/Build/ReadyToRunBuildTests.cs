namespace Procman.Tests.Build;

/// <summary>
/// A Release build puts ReadyToRun images of procman and of the packages it loads in the build output, so that a
/// client command does not spend most of its CPU in the JIT (docs/benchmarks.md, "ReadyToRun"); a Debug build stays
/// IL. These tests read the files the README runs, so a change that silently drops the compilation fails here.
/// </summary>
public sealed class ReadyToRunBuildTests
{
    // This assembly runs from artifacts/bin/Procman.Tests/<configuration>/, beside procman's output.
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory).Name;

    private static string ProcmanOutput(string file) =>
        Path.Combine(Repository.Root, "artifacts", "bin", "Procman", Configuration, file);

    private static bool IsRelease => Configuration == "release";

    [Theory]
    [InlineData("procman.dll")]
    [InlineData("Procman.Protocol.dll")]
    [InlineData("System.CommandLine.dll")]
    [InlineData("Serilog.dll")]
    [InlineData("Spectre.Console.dll")]
    [InlineData("Microsoft.Extensions.Hosting.Systemd.dll")]
    public void ReleaseOutput_IsReadyToRunForThisMachine_DebugOutputIsIl(string file)
    {
        var path = ProcmanOutput(file);

        Assert.Equal(IsRelease, ReadyToRunImage.IsReadyToRun(path));
        if (IsRelease)
        {
            Assert.True(ReadyToRunImage.IsForThisMachine(path), $"{path} has ReadyToRun code for another machine");
        }
    }

    [Fact]
    public void StartupHook_StaysIl_ForAppsOfEveryDotnetVersion() =>
        Assert.False(ReadyToRunImage.IsReadyToRun(ProcmanOutput("Procman.Worker.dll")));
}
