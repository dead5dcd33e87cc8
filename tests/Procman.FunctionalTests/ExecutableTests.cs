using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Text;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>
/// The procman a Release build puts in artifacts/bin/Procman/release/ is a native executable that needs no .NET
/// runtime of its own (the apps it runs do); procman.dll beside it still runs under the dotnet host, as the global
/// tool runs it.
/// </summary>
public sealed class ExecutableTests
{
    private static readonly TimeSpan Bound = UpgradedMasters.Bound;

    [Fact]
    public async Task ReleaseExecutable_RunsWithNoDotnetInstalled_TheDebugApphostDoesNot()
    {
        var (exitCode, output, error) = await WithoutDotnetAsync(Paths.Procman, "--version");

        Assert.True(Paths.IsRelease == (exitCode == 0), $"exit {exitCode}: {output}{error}");
        if (Paths.IsRelease)
        {
            var underDotnet = await ProcmanCommand.RunAsync(["--version"], underDotnetHost: true);
            Assert.Equal(underDotnet.Output.Trim(), output.Trim());
        }
    }

    [Fact]
    public async Task ReleaseExecutable_WithNoDotnetInstalled_RefusesADllApp_InOneLine()
    {
        var (exitCode, output, error) = await WithoutDotnetAsync(Paths.Procman, "run", Paths.HelloApi, "-w", "1", "-b", "127.0.0.1:0", "--no-control-socket");

        // The Debug apphost cannot start at all there.
        Assert.NotEqual(0, exitCode);
        if (Paths.IsRelease)
        {
            Assert.Equal(4, exitCode);
            Assert.Equal("", output);
            Assert.Equal($"procman: error: app '{Paths.HelloApi}' is a .dll, which the dotnet host runs, and no dotnet host is installed here (looked at DOTNET_ROOT, PATH and "
                + "/etc/dotnet/install_location); install the .NET runtime, or set DOTNET_ROOT to the directory that holds dotnet", error.Trim());
        }
    }

    [Fact]
    public async Task ProcmanDll_UnderTheDotnetHost_Serves_AnswersStatus_AndUpgradesToTheSameHost()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("procman.pid");
        var socket = directory.Combine("procman.ctl");
        await using var procman = ProcmanHost.Start(Paths.TestApp, ["-w", "2", "-p", pidFile, "--control-socket", socket], underDotnetHost: true);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, ProcmanHost.StartTimeout);
        // Disposed first: the new master, which is not this test's child, goes before the old one and its workers.
        using var masters = new UpgradedMasters(pidFile);

        var status = await ProcmanCommand.RunAsync(["status", "--json", "--control-socket", socket], underDotnetHost: true);
        Assert.True(status.ExitCode == 0, status.Error);
        using (var document = JsonDocument.Parse(status.Output))
        {
            Assert.Equal(ProcessTable.ChildrenOf(procman.Pid).Order(), document.RootElement.GetProperty("workers").EnumerateArray().Select(w => w.GetProperty("pid").GetInt32()).Order());
        }
        Assert.Equal("dotnet", Executable(procman.Pid));

        procman.Signal(Native.SigUsr2);
        var newMaster = await masters.WaitForOtherThanAsync(procman.Pid);
        Assert.Equal(0, await procman.WaitForExitAsync(Bound, outputShared: true));

        Assert.Equal("dotnet", Executable(newMaster));
        Assert.Contains(Paths.ProcmanDll, File.ReadAllText($"/proc/{newMaster}/cmdline").Split('\0'));
        using var client = procman.CreateClient(keepAlive: false);
        Assert.Equal(newMaster, ProcessTable.ParentOf(int.Parse(await client.GetStringAsync("/pid"), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Master_KeepsItsDiagnosticPort_AndPublishesTheProcmanMeterOverEventPipe()
    {
        await using var procman = await ProcmanHost.StartReadyAsync(Paths.TestApp, 1);
        // What dotnet-counters asks for: the runtime's metrics provider, listening to the Procman meter.
        var provider = new EventPipeProvider("System.Diagnostics.Metrics", EventLevel.Informational, keywords: 0x7, arguments: new Dictionary<string, string>
        {
            ["SessionId"] = Guid.NewGuid().ToString(),
            ["Metrics"] = "Procman",
            ["RefreshInterval"] = "1",
            ["MaxTimeSeries"] = "100",
            ["MaxHistograms"] = "10",
        });

        using var session = await new DiagnosticsClient(procman.Pid).StartEventPipeSessionAsync([provider], requestRundown: false, token: CancellationToken.None);
        // The events carry the instrument's name as UTF-16; one that names a worker's gauge says the meter was read.
        var seen = await ReadUntilAsync(session.EventStream, Encoding.Unicode.GetBytes("procman.worker.requests"), Bound);
        await session.StopAsync(CancellationToken.None);

        Assert.True(seen, "no Procman instrument in the master's EventPipe stream");
    }

    private static async Task<bool> ReadUntilAsync(Stream stream, byte[] wanted, TimeSpan bound)
    {
        using var cancel = new CancellationTokenSource(bound);
        var seen = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (await stream.ReadAsync(buffer, cancel.Token) is var read and > 0)
            {
                seen.Write(buffer, 0, read);
                if (seen.GetBuffer().AsSpan(0, (int)seen.Length).IndexOf(wanted) >= 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Bounded: the stream never named it.
        }
        return false;
    }

    /// <summary>Runs a command as on a machine without .NET: the runtime this test runs on,
    /// <c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>, is hidden under an empty tmpfs in a mount namespace of the command's own.</summary>
    private static async Task<(int ExitCode, string Output, string Error)> WithoutDotnetAsync(params string[] command)
    {
        var root = new DirectoryInfo(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory()).Parent!.Parent!.Parent!.FullName;
        var start = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs none \"$0\" && exec \"$@\"", root }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ROOT"] = root;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Bound);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The file name of the executable a process runs, its symbolic links followed.</summary>
    private static string Executable(int pid) => Path.GetFileName(new FileInfo($"/proc/{pid}/exe").ResolveLinkTarget(returnFinalTarget: true)!.FullName);
}
