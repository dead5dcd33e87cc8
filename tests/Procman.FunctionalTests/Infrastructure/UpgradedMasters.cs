using System.Globalization;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// The masters an upgrade (SIGUSR2) started: not the test's children, so the test tracks them through the pidfile
/// and kills each, with its workers, when it ends, pass or fail.
/// </summary>
internal sealed class UpgradedMasters(string pidFile) : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly HashSet<int> _pids = [];

    /// <summary>The pid the pidfile names now, tracked from here on; null while it names none.</summary>
    public int? Current()
    {
        try
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                _pids.Add(pid);
                return pid;
            }
        }
        catch (IOException)
        {
            // Between the old master's rename and the new one's write.
        }
        return null;
    }

    /// <summary>Waits until the pidfile names a live process other than <paramref name="previous"/>.</summary>
    public async Task<int> WaitForOtherThanAsync(int previous)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            if (Current() is int pid && pid != previous && ProcessTable.IsAlive(pid))
            {
                return pid;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Bound.TotalSeconds} s for the pidfile {pidFile} to name a master other than {previous}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="pid"/>, which is not the test's child, has exited.</summary>
    public static async Task WaitForExitAsync(int pid)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (ProcessTable.IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Bound.TotalSeconds} s for pid {pid} to exit; {ProcessTable.Describe(pid)}");
            }
            await Task.Delay(50);
        }
    }

    public void Track(int pid) => _pids.Add(pid);

    public void Dispose()
    {
        Current();
        foreach (var pid in _pids)
        {
            foreach (var child in ProcessTable.ChildrenOf(pid))
            {
                Native.Kill(child, Native.SigKill);
            }
            Native.Kill(pid, Native.SigKill);
        }
    }
}
