using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Procman.FunctionalTests.Infrastructure;

namespace Procman.FunctionalTests;

/// <summary>Relative paths are relative to chdir, not to the directory procman was started in, at start and after SIGHUP.</summary>
public sealed class ChdirTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RelativeSocketCertAndPidFile_AreFoundInChdir_AtStartAndAfterAPlainHup()
    {
        using var chdir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        WriteSelfSignedCertificate(chdir);

        await using var procman = ProcmanHost.Start(
            Paths.TestApp,
            ["-w", "1", "--chdir", chdir.Path, "-b", "unix:rel.sock", "--certfile", "cert.pem", "--keyfile", "key.pem", "--pid", "rel.pid", ProcmanHost.NoWarmup],
            workingDirectory: elsewhere.Path);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);

        var socket = chdir.Combine("rel.sock");
        Assert.Equal(procman.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(chdir.Combine("rel.pid"))).Trim());
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere.Path));
        Assert.Equal("ok\n", await GetOverHttpsAsync(socket));

        procman.Signal(Native.SigHup);
        await procman.WaitForEventsAsync(MasterEvent.ReloadComplete, 1, Timeout);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 2, Timeout);

        Assert.True(File.Exists(socket), "the unix socket moved on SIGHUP");
        Assert.Equal("ok\n", await GetOverHttpsAsync(socket));
        Assert.DoesNotContain(procman.Events, e => e.Id == MasterEvent.ReloadFailed || e.Id == MasterEvent.ReloadRefused);
    }

    [Fact]
    public async Task RelativeDumpDirAndAccessLog_AreResolvedAgainstChdir()
    {
        using var chdir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        Directory.CreateDirectory(chdir.Combine("dumps"));

        await using var procman = ProcmanHost.Start(
            Paths.TestApp,
            ["-w", "1", "--chdir", chdir.Path, "-b", "127.0.0.1:0", "--dump-dir", "dumps", "--access-logfile", "access.log"],
            workingDirectory: elsewhere.Path);
        await procman.WaitForEventsAsync(MasterEvent.WorkerReady, 1, ProcmanHost.StartTimeout);
        using var client = procman.CreateClient();

        Assert.Equal("ok\n", await client.GetStringAsync("/"));
        await WaitForFileAsync(chdir.Combine("access.log"));
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere.Path));
    }

    private static void WriteSelfSignedCertificate(TempDirectory directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        directory.File("cert.pem", certificate.ExportCertificatePem());
        directory.File("key.pem", key.ExportPkcs8PrivateKeyPem());
    }

    private static async Task<string> GetOverHttpsAsync(string socket)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                return new NetworkStream(unix, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.Subject == "CN=localhost" },
        })
        { Timeout = Timeout };
        return await client.GetStringAsync("https://localhost/");
    }

    private static async Task WaitForFileAsync(string path)
    {
        using var bound = new CancellationTokenSource(Timeout);
        while (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            await Task.Delay(50, bound.Token);
        }
    }
}
