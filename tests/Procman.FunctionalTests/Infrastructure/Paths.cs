namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Where the built procman and test apps are, next to this test assembly under artifacts/.</summary>
internal static class Paths
{
    // This assembly runs from artifacts/bin/Procman.FunctionalTests/<configuration>/.
    private static readonly DirectoryInfo OutputDirectory = new(AppContext.BaseDirectory);

    private static string Configuration => OutputDirectory.Name;

    /// <summary>A Release build, whose procman is the native executable.</summary>
    public static bool IsRelease => Configuration == "release";

    private static string BinRoot => OutputDirectory.Parent!.Parent!.FullName;

    /// <summary>The repository root, two levels above artifacts/bin/.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(BinRoot, "..", ".."));

    /// <summary>procman as the README runs it: the native executable of a Release build, the apphost of a Debug one.</summary>
    public static string Procman => Path.Combine(BinRoot, "Procman", Configuration, "procman");

    /// <summary>procman.dll beside it, for <c>dotnet procman.dll</c>: the framework-dependent build the global tool runs.</summary>
    public static string ProcmanDll => Path.Combine(BinRoot, "Procman", Configuration, "procman.dll");

    /// <summary>The command line that starts procman: the executable, or the dotnet host and procman.dll.</summary>
    public static IReadOnlyList<string> ProcmanCommandLine(bool underDotnetHost) => underDotnetHost ? [DotnetHost, ProcmanDll] : [Procman];

    public static string TestApp => Path.Combine(BinRoot, "Procman.TestApp", Configuration, "Procman.TestApp.dll");

    public static string LegacyApp => Path.Combine(BinRoot, "Procman.LegacyApp", Configuration, "Procman.LegacyApp.dll");

    public static string GrpcApp => Path.Combine(BinRoot, "Procman.GrpcApp", Configuration, "Procman.GrpcApp.dll");

    public static string HelloApi => Path.Combine(BinRoot, "HelloApi", Configuration, "HelloApi.dll");

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
}
