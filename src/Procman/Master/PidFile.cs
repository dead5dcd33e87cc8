using System.Globalization;

namespace Procman.Master;

/// <summary>The master's pidfile: written at start, removed at exit, never written over a live process's.</summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;

    private PidFile(string path) => _path = path;

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
            // A stale file (its process is gone) is simply replaced. Written to a temporary file first and
            // renamed, so that a reader never sees a half-written pid.
            var temporary = fullPath + ".tmp";
            File.WriteAllText(temporary, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProcmanException($"cannot write pidfile '{fullPath}': {ex.Message}", ExitCodes.UsageError);
        }
        return new PidFile(fullPath);
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
