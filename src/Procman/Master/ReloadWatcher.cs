using System.Threading.Channels;
using Procman.Arbitration;

namespace Procman.Master;

/// <summary>
/// Development mode (<c>reload</c>): asks for a graceful reload when the app's files or
/// <c>reload_extra_files</c> change.
/// </summary>
/// <remarks>
/// A build rewrites many files over a second or more; the reload is asked for once the files have been
/// quiet for <see cref="QuietPeriod"/>, so a half-written app is never started.
/// </remarks>
internal sealed class ReloadWatcher : IDisposable
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    private static readonly string[] AppFilePatterns = ["*.dll", "*.json"];

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer _timer;
    private readonly object _lock = new();
    private string? _changed;

    public ReloadWatcher(string appPath, IEnumerable<string> extraFiles, ChannelWriter<ArbiterEvent> events, TimeProvider time)
    {
        _timer = time.CreateTimer(_ =>
        {
            string? changed;
            lock (_lock)
            {
                changed = _changed;
                _changed = null;
            }
            if (changed is not null)
            {
                events.TryWrite(new ArbiterEvent.ReloadRequested($"{changed} changed"));
            }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        var appDirectory = Path.GetDirectoryName(Path.GetFullPath(appPath))!;
        foreach (var pattern in AppFilePatterns)
        {
            Watch(appDirectory, pattern);
        }
        foreach (var file in extraFiles.Select(Path.GetFullPath))
        {
            Watch(Path.GetDirectoryName(file)!, Path.GetFileName(file));
        }
    }

    public void Dispose()
    {
        _watchers.ForEach(watcher => watcher.Dispose());
        _timer.Dispose();
    }

    private void Watch(string directory, string filter)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        var watcher = new FileSystemWatcher(directory, filter)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => OnChanged(e.FullPath);
        watcher.Created += (_, e) => OnChanged(e.FullPath);
        watcher.Renamed += (_, e) => OnChanged(e.FullPath);
        watcher.Deleted += (_, e) => OnChanged(e.FullPath);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void OnChanged(string path)
    {
        lock (_lock)
        {
            _changed = path;
            _timer.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }
}
