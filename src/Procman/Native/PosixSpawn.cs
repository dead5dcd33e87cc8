using System.Runtime.InteropServices;
using System.Text;

namespace Procman.Native;

/// <summary>posix_spawnp(3) and waitid(2): starting a child whose wait status procman reads itself.</summary>
/// <remarks>
/// <see cref="System.Diagnostics.Process"/> reaps its children and keeps only 128 + N for a signal N, which
/// cannot be told from an exit code. The runtime reaps only the children it started (unless SIGCHLD was
/// ignored at start, or procman is PID 1), so a child started here is procman's to wait for.
/// </remarks>
internal static unsafe partial class PosixSpawn
{
    // Larger than posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t (80) and sigset_t (128) on every glibc ABI.
    private const int OpaqueSize = 1024;
    private const short SetSignalDefaults = 0x04;
    private const short SetSignalMask = 0x08;
    private const int ReadOnly = 0;
    private const int PipeCloseOnExec = 0x80000;
    private const int PidType = 1;
    private const int WaitExited = 4;
    private const int Interrupted = 4;
    private const int ChildExited = 1;
    private const int ChildKilled = 2;
    private const int ChildDumped = 3;
    private const int SigPipe = 13;

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    private static partial int Spawn(out int pid, byte* path, void* actions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int ActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int ActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int AddDup2(void* actions, int fd, int target);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int AddOpen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    private static partial int AddChdir(void* actions, byte* path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SetMask(void* attributes, void* mask);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SetDefaults(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int EmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int AddToSet(void* set, int signal);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    private static partial int WaitId(int idType, int id, byte* info, int options);

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial byte* StrError(int error);

    /// <summary>A pipe, both ends close-on-exec.</summary>
    public static (int Read, int Write) CreatePipe()
    {
        var fds = stackalloc int[2];
        if (Pipe(fds, PipeCloseOnExec) != 0)
        {
            throw new IOException($"pipe2 failed: {Describe(Marshal.GetLastPInvokeError())}");
        }
        return (fds[0], fds[1]);
    }

    /// <summary>
    /// Starts <paramref name="file"/> with stdin on /dev/null and stdout/stderr on the given fds, in
    /// <paramref name="directory"/>, with no signal blocked and SIGPIPE at its default (the runtime ignores it).
    /// </summary>
    /// <param name="nice">
    /// Start it at this nice value: the calling thread takes it for the spawn call alone (a child starts with its
    /// creating thread's value), so that no other thread is created meanwhile that would keep it.
    /// </param>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static int Start(string file, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> environment, string directory, int stdout, int stderr, int? nice = null)
    {
        var strings = new List<nint>();
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        try
        {
            byte* Utf8(string value)
            {
                var bytes = Encoding.UTF8.GetBytes(value + "\0");
                var native = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
                bytes.CopyTo(new Span<byte>(native, bytes.Length));
                strings.Add((nint)native);
                return native;
            }
            byte** Array(IReadOnlyList<string> values)
            {
                var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
                strings.Add((nint)array);
                for (var i = 0; i < values.Count; i++)
                {
                    array[i] = Utf8(values[i]);
                }
                return array;
            }

            var argv = Array([file, .. arguments]);
            var envp = Array([.. environment.Select(pair => $"{pair.Key}={pair.Value}")]);
            ActionsInit(actions);
            AttributesInit(attributes);
            Check(AddOpen(actions, 0, Utf8("/dev/null"), ReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(AddDup2(actions, stdout, 1), "posix_spawn_file_actions_adddup2");
            Check(AddDup2(actions, stderr, 2), "posix_spawn_file_actions_adddup2");
            Check(AddChdir(actions, Utf8(directory)), "posix_spawn_file_actions_addchdir_np");
            EmptySet(signals);
            Check(SetMask(attributes, signals), "posix_spawnattr_setsigmask");
            AddToSet(signals, SigPipe);
            Check(SetDefaults(attributes, signals), "posix_spawnattr_setsigdefault");
            Check(SetFlags(attributes, SetSignalDefaults | SetSignalMask), "posix_spawnattr_setflags");
            var path = Utf8(file);
            var normal = nice is null ? 0 : Priority.OfCallingThread();
            if (nice is { } lowered)
            {
                Priority.SetCallingThread(lowered);
            }
            var error = Spawn(out var pid, path, actions, attributes, argv, envp);
            if (nice is not null)
            {
                // Permitted: BootPriority.Check tried it before any worker started.
                Priority.SetCallingThread(normal);
            }
            if (error != 0)
            {
                throw new IOException($"cannot start {file}: {Describe(error)}");
            }
            return pid;
        }
        finally
        {
            ActionsDestroy(actions);
            AttributesDestroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            strings.ForEach(pointer => NativeMemory.Free((void*)pointer));
        }
    }

    /// <summary>Blocks until the child exits, and reaps it: (exit code, killing signal, core dumped).</summary>
    /// <returns>Null when the child was reaped by someone else (the runtime does so for every child when procman is PID 1).</returns>
    public static (int? Code, int? Signal, bool CoreDumped)? Wait(int pid)
    {
        // siginfo_t is 128 bytes; for SIGCHLD, si_code is at offset 8 and si_status at 24 on every 64-bit Linux ABI.
        var info = stackalloc byte[128];
        while (WaitId(PidType, pid, info, WaitExited) != 0)
        {
            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                return null;
            }
        }
        var code = *(int*)(info + 8);
        var status = *(int*)(info + 24);
        return code switch
        {
            ChildExited => (status, null, false),
            ChildKilled => (null, status, false),
            ChildDumped => (null, status, true),
            _ => null,
        };
    }

    /// <summary>Reaps <paramref name="pid"/> if it has exited, without waiting.</summary>
    public static void ReapIfExited(int pid)
    {
        const int NoHang = 1;
        var info = stackalloc byte[128];
        _ = WaitId(PidType, pid, info, WaitExited | NoHang);
    }

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new IOException($"{call} failed: {Describe(error)}");
        }
    }

    private static string Describe(int error) => Marshal.PtrToStringUTF8((nint)StrError(error)) ?? $"errno {error}";
}
