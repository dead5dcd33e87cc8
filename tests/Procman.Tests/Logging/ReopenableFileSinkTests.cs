using Procman.Logging;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace Procman.Tests.Logging;

public sealed class ReopenableFileSinkTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("procman-sink-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Reopen_AfterTheDirectoryWasRemoved_FallsBackToStderr_AndReopensOnceTheDirectoryIsBack()
    {
        var directory = Path.Combine(_root, "logs");
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, "procman.log");
        using var sink = Create(path);

        Directory.Delete(directory, recursive: true);
        var failure = sink.Reopen();

        Assert.NotNull(failure);
        Assert.Equal("stderr", failure.WritingTo);
        sink.Emit(Event("to stderr"));

        Directory.CreateDirectory(directory);
        Assert.Null(sink.Reopen());
        sink.Emit(Event("back in the file"));
        Assert.Equal("back in the file\n", ReadShared(path));
    }

    [Fact]
    public void Reopen_WhenThePathCannotBeOpenedButTheOldFileStillHasAName_KeepsWritingToTheOldFile()
    {
        var directory = Path.Combine(_root, "logs");
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, "procman.log");
        using var sink = Create(path);
        sink.Emit(Event("before"));

        // As logrotate moves the file away, and the directory is then gone.
        var rotated = Path.Combine(_root, "procman.log.1");
        File.Move(path, rotated);
        Directory.Delete(directory, recursive: true);
        var failure = sink.Reopen();
        sink.Emit(Event("after"));

        Assert.NotNull(failure);
        Assert.Equal("the file opened before", failure.WritingTo);
        Assert.Equal("before\nafter\n", ReadShared(rotated));
    }

    private static ReopenableFileSink Create(string path)
        => new(path, new MessageTemplateTextFormatter("{Message}{NewLine}", System.Globalization.CultureInfo.InvariantCulture));

    private static LogEvent Event(string text)
        => new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplateParser().Parse(text), []);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd().Replace(Environment.NewLine, "\n", StringComparison.Ordinal);
    }
}
