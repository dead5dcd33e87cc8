using Procman.Configuration;

namespace Procman.Tests.Configuration;

/// <summary>The checks across settings and files: each problem gets a line of its own that says what to do.</summary>
public sealed class ProcmanOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("procman-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CertFile_ThatIsADirectory_SaysSo()
        => Assert.Equal($"certfile '{_directory}' is a directory; give the file itself", (Options() with { CertFile = _directory }).Check());

    [Fact]
    public void KeyFile_ThatIsADirectory_SaysSo()
    {
        var cert = Path.Combine(_directory, "cert.pem");
        File.WriteAllText(cert, "not a certificate");

        Assert.Equal($"keyfile '{_directory}' is a directory; give the file itself", (Options() with { CertFile = cert, KeyFile = _directory }).Check());
    }

    [Fact]
    public void CertFile_ThatDoesNotExist_SaysSo()
    {
        var missing = Path.Combine(_directory, "missing.pem");

        Assert.Equal($"certfile '{missing}' does not exist", (Options() with { CertFile = missing }).Check());
    }

    [Fact]
    public void LogFile_UnderARegularFile_SaysThatIsNotADirectory()
    {
        var file = Path.Combine(_directory, "plain");
        File.WriteAllText(file, "");
        var log = Path.Combine(file, "error.log");

        Assert.Equal($"errorlog '{log}' is under '{file}', which is a file, not a directory", (Options() with { ErrorLog = log }).Check());
    }

    [Fact]
    public void PidFile_ThatIsADirectory_SaysSo()
        => Assert.Equal($"pidfile '{_directory}' is a directory; give a file path", (Options() with { PidFile = _directory }).Check());

    [Fact]
    public void Chdir_ThatIsAFile_SaysSo()
    {
        var file = Path.Combine(_directory, "plain");
        File.WriteAllText(file, "");

        Assert.Equal($"chdir '{file}' is a file, not a directory", (Options() with { Chdir = file }).Check());
    }

    [Fact]
    public void UnixSocket_InADirectoryThatDoesNotExist_IsFoundByTheCheck()
    {
        var address = new BindAddress.Unix(Path.Combine(_directory, "missing", "s.sock"));

        Assert.Equal($"cannot bind {address}: directory {Path.Combine(_directory, "missing")} does not exist; create it first", (Options() with { Binds = [address] }).Check());
    }

    [Fact]
    public void UnixSocket_ShortAsGiven_ButTooLongOnceResolvedAgainstChdir_IsFoundByTheCheck()
    {
        var relative = new string('s', 100) + ".sock";
        Assert.True(BindAddress.TryParse("unix:" + relative, out _, out var error), error);
        var values = new SettingValues();
        values.Set(Settings.Bind, new[] { "unix:" + relative }, "command line");
        values.Set(Settings.Chdir, _directory, "command line");
        var options = ProcmanOptions.From(values, new AppCommand("App.dll", []), _directory);

        Assert.StartsWith($"cannot bind unix:{Path.Combine(_directory, relative)}: the path is", options.Check());
    }

    [Fact]
    public void ExistingFiles_InExistingDirectories_Pass()
    {
        var log = Path.Combine(_directory, "error.log");
        File.WriteAllText(log, "");

        Assert.Null((Options() with { ErrorLog = log, PidFile = Path.Combine(_directory, "procman.pid"), Binds = [new BindAddress.Unix(Path.Combine(_directory, "s.sock"))] }).Check());
    }

    private ProcmanOptions Options() => new()
    {
        App = new AppCommand(Path.Combine(_directory, "App.dll"), []),
        Binds = [new BindAddress.Tcp("127.0.0.1", 0)],
        Workers = 1,
        Chdir = _directory,
    };
}
