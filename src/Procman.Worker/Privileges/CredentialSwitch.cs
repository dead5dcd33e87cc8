using System.Reflection;
using System.Runtime.InteropServices;
using Procman.Protocol;

namespace Procman.Worker.Privileges;

/// <summary>
/// Makes this worker process the user and group procman was asked to run workers as, before any of the app's code
/// runs. Called first thing by the startup hook, which the runtime runs before the app's <c>Main</c> (and before
/// the type holding it is initialized): the app's static constructors, hosted services and any later startup hook
/// run as the user, never as root.
/// </summary>
/// <remarks>
/// <para>
/// Why here and not in the master: posix_spawn(3), which the master starts workers with, cannot set ids, and .NET
/// has no fork to run code in the child before exec. Starting the worker through a setuid helper (setpriv, runuser,
/// or procman itself) would add a program, or a second runtime start, to every worker's boot. So the worker's
/// runtime starts as root and the hook switches; what the runtime did as root before that is put right here.
/// </para>
/// <para>
/// glibc's setgroups, setgid and setuid change every thread of the process (through a signal to each), so the
/// runtime's own threads (the diagnostics server, the finalizer, tiered compilation) switch too. Real, effective
/// and saved ids all change, so there is no way back, which is checked.
/// </para>
/// <para>
/// The runtime created its diagnostics socket and its debugger pipes in TMPDIR as root: they are given to the
/// user, so that the worker can remove them when it exits (TMPDIR is sticky) and tools run as the user can attach.
/// Changing the uid clears the process's dumpable flag, which would make /proc/PID root's and stop createdump
/// (which the runtime starts as the user, for procman dump and a hung worker's stacks) from reading the process:
/// it is set again. Nothing of root's is left in the process to expose: it ran only the runtime's start and this hook.
/// </para>
/// </remarks>
internal static partial class CredentialSwitch
{
    private const int PrSetDumpable = 4;

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    private static unsafe partial int SetGroups(nuint count, uint* groups);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    private static partial int SetGroupId(uint group);

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    private static partial int SetUserId(uint user);

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUserId();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGroupId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int ChangeOwner(string path, uint user, uint group);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nint value, nint unused1, nint unused2, nint unused3);

    /// <summary>Switches to <paramref name="credentials"/>, or ends the process with one line on stderr: it never goes on as root after a failure.</summary>
    public static void Apply(WorkerCredentials? credentials)
    {
        if (credentials is null)
        {
            return;
        }
        if (Switch(credentials) is { } problem)
        {
            Console.Error.WriteLine($"procman: worker {Environment.ProcessId}: {problem}");
            Environment.Exit(1);
        }
    }

    private static unsafe string? Switch(WorkerCredentials credentials)
    {
        var (user, group) = (credentials.UserId, credentials.GroupId);
        GiveRuntimeFiles(user, group);
        var groups = credentials.Groups.ToArray();
        fixed (uint* list = groups)
        {
            // Groups first, then the gid, then the uid: once the uid is not root, neither can be changed any more.
            if (SetGroups((nuint)groups.Length, list) != 0)
            {
                return Failed("setgroups", $"groups {string.Join(',', groups)}");
            }
        }
        if (SetGroupId(group) != 0)
        {
            return Failed("setgid", $"gid {group}");
        }
        if (SetUserId(user) != 0)
        {
            return Failed("setuid", $"uid {user}");
        }
        if (GetUserId() != user || GetEffectiveUserId() != user || GetGroupId() != group || GetEffectiveGroupId() != group)
        {
            return $"switching to uid {user}, gid {group} left uid {GetEffectiveUserId()}, gid {GetEffectiveGroupId()}";
        }
        if (user != 0 && SetUserId(0) == 0)
        {
            return $"after switching to uid {user} the worker could become root again";
        }
        Prctl(PrSetDumpable, 1, 0, 0, 0);
        return AppReadable(user);
    }

    /// <summary>
    /// The runtime loaded the app's assembly as root; the rest of the app loads as the user. An app the user cannot
    /// read fails now, saying so, rather than later with a missing assembly.
    /// </summary>
    private static string? AppReadable(uint user)
    {
        if (Assembly.GetEntryAssembly()?.Location is not { Length: > 0 } app)
        {
            return null;
        }
        try
        {
            using var _ = File.OpenHandle(app, FileMode.Open, FileAccess.Read);
            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return $"the app {app} cannot be read by uid {user}, the user the workers run as ({ex.Message}); make the app's directory readable by that user";
        }
    }

    /// <summary>Gives the runtime's diagnostics socket and debugger pipes, created as root, to the user.</summary>
    private static void GiveRuntimeFiles(uint user, uint group)
    {
        if (RuntimeFiles.StartTime(File.ReadAllText("/proc/self/stat")) is not { } startTime)
        {
            return;
        }
        var directory = Path.GetTempPath();
        foreach (var name in RuntimeFiles.Names(Environment.ProcessId, startTime))
        {
            // Missing with DOTNET_EnableDiagnostics=0: nothing to give.
            _ = ChangeOwner(Path.Combine(directory, name), user, group);
        }
    }

    private static string Failed(string call, string target)
        => $"{call} to {target} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}; the worker does not start";
}
