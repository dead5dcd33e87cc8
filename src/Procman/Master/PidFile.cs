using System.Globalization;

namespace Procman.Master;

/// <summary>The master's pidfile: written at start, removed at exit, never written over a live process's.</summary>
/// <remarks>
/// During an upgrade (SIGUSR2) the old master's file is renamed to PIDFILE.oldbin, as Gunicorn and Unicorn do,
/// so that the new master can write PIDFILE; it is renamed back if the new master fails.
/// </remarks>
internal sealed class PidFile : IDisposable
{
    public const string OldBinarySuffix = ".oldbin";

    private readonly string _configured;
    private string _path;

    private PidFile(string path)
    {
        _configured = path;
        _path = path;
    }

    /// <summary>Renames the file to PIDFILE.oldbin, making room for the new master's.</summary>
    /// <exception cref="IOException">The file cannot be renamed.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public void MoveAside()
    {
        var aside = _configured + OldBinarySuffix;
        File.Move(_configured, aside, overwrite: true);
        _path = aside;
    }

    /// <summary>
    /// Makes PIDFILE name this master again (the new master failed): written afresh rather than renamed back, so a
    /// file the failed master wrote, or its absence, makes no difference.
    /// </summary>
    public void Restore()
    {
        if (_path == _configured)
        {
            return;
        }
        try
        {
            Write(_configured);
            File.Delete(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left as .oldbin: procman serves on, and its control socket still names it.
            return;
        }
        _path = _configured;
    }

    /// <exception cref="ProcmanException">The file names a running process, or cannot be written.</exception>
    public static PidFile Create(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath)
            && int.TryParse(File.ReadAllText(fullPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && pid != Environment.ProcessId
            && Directory.Exists($"/proc/{pid}"))
        {
            throw new ProcmanException(
                $"pidfile '{fullPath}' names pid {pid}, which is running: is procman already running? Stop it, or choose another pidfile with -p",
                ExitCodes.AlreadyRunning);
        }
        try
        {
            // A stale file (its process is gone) is simply replaced.
            Write(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProcmanException($"cannot write pidfile '{fullPath}': {ex.Message}", ExitCodes.UsageError);
        }
        return new PidFile(fullPath);
    }

    /// <summary>Written to a temporary file first and renamed, so that a reader never sees a half-written pid.</summary>
    private static void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            // Only our own: a newer procman may have taken the file over.
            if (File.Exists(_path) && File.ReadAllText(_path).Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            {
                File.Delete(_path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A pidfile whose directory went away or became read-only is left as it is: stopping goes on.
        }
    }
}
