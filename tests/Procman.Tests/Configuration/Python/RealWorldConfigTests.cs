using Procman.Cli;
using Procman.Configuration;

namespace Procman.Tests.Configuration.Python;

/// <summary>The real-world corpus through the whole configuration loader: settings conversion and validation included.</summary>
[Collection("Current directory")]
public sealed class RealWorldConfigTests : IDisposable
{
    private static readonly string RealWorld = Path.Combine(AppContext.BaseDirectory, "Configuration", "Python", "Configs", "RealWorld");

    private readonly string _directory = Directory.CreateTempSubdirectory("procman-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RealWorldConfigs_AtLeastNineInTenLoad()
    {
        var files = Directory.GetFiles(RealWorld, "*.py");
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                Load(file);
            }
            catch (ProcmanException ex)
            {
                failures.Add(ex.Message);
            }
        }

        Assert.True(failures.Count * 10 <= files.Length, $"{failures.Count} of {files.Length} fail:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void SettingFromAnInertModule_FailsNamingWhatItUses()
    {
        var config = Write("from myapp.settings import GUNICORN_WORKERS\nworkers = GUNICORN_WORKERS\n");

        var error = Assert.Throws<ProcmanException>(() => Load(config));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.Equal($"{config}:2: invalid workers: its value uses `myapp.settings.GUNICORN_WORKERS`, which procman does not evaluate; set it from literals, os.environ or os.path", error.Message);
    }

    [Fact]
    public void InertModulesAtTheTopLevelAndPrint_AreWarnings()
    {
        var config = Write("import sys, logging\nsys.dont_write_bytecode = True\nlog = logging.getLogger(__name__)\nprint('hi')\nworkers = 2\n");

        var loaded = Load(config);

        Assert.Equal(3, loaded.Warnings.Count);
        Assert.All(loaded.Warnings, warning => Assert.StartsWith(config + ":", warning));
        Assert.Equal(2, loaded.Values.Get<int>(Settings.Workers));
    }

    [Fact]
    public void NonUtf8ConfigFile_FailsNamingTheByte()
    {
        var config = Path.Combine(_directory, "latin1.conf.py");
        File.WriteAllBytes(config, [.. "proc_name = 'caf"u8, 0xE9, .. "'\n"u8]);

        var error = Assert.Throws<ProcmanException>(() => Load(config));

        Assert.Equal($"{config}:1:17: the file is not valid UTF-8 (byte 0xE9 at offset 16); save the file as UTF-8", error.Message);
    }

    [Fact]
    public void FileWithSeveralErrors_FailsWithOneLinePerError()
    {
        var config = Write("workers = int('x')\ntimeout = 1 / 0\n");

        var error = Assert.Throws<ProcmanException>(() => Load(config));

        Assert.Equal(2, error.Message.Split('\n').Length);
    }

    private string Write(string source)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.conf.py");
        File.WriteAllText(path, source);
        return path;
    }

    private static LoadedSettings Load(string config)
        => new ConfigurationLoader(new FakeEnvironment(), RunCommand.ParseSettingArguments).Load(RunCommand.ParseSettingArguments(["-c", config]));
}
