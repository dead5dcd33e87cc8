using System.Runtime.InteropServices;

namespace Procman.Native;

/// <summary>The user and group databases through libc's NSS lookups (files, LDAP, systemd-userdb alike), as Gunicorn's pwd and grp modules read them.</summary>
internal static unsafe partial class Passwd
{
    // ERANGE: the buffer was too small for the entry; the lookup is tried again with a larger one.
    private const int Range = 34;
    private const int LargestBuffer = 1 << 20;

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UserByName(string name, byte* entry, byte* buffer, nuint length, byte** result);

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static partial int UserById(uint id, byte* entry, byte* buffer, nuint length, byte** result);

    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GroupByName(string name, byte* entry, byte* buffer, nuint length, byte** result);

    [LibraryImport("libc", EntryPoint = "getgrgid_r")]
    private static partial int GroupById(uint id, byte* entry, byte* buffer, nuint length, byte** result);

    [LibraryImport("libc", EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GroupList(string user, uint group, uint* groups, int* count);

    private delegate int Lookup(byte* entry, byte* buffer, nuint length, byte** result);

    /// <summary>The user's name, uid, primary gid and home directory, or null when the database has no such user.</summary>
    public static (string Name, uint Id, uint GroupId, string Home)? FindUser(string name) => User((e, b, l, r) => UserByName(name, e, b, l, r));

    public static (string Name, uint Id, uint GroupId, string Home)? FindUser(uint id) => User((e, b, l, r) => UserById(id, e, b, l, r));

    public static (string Name, uint Id)? FindGroup(string name) => Group((e, b, l, r) => GroupByName(name, e, b, l, r));

    public static (string Name, uint Id)? FindGroup(uint id) => Group((e, b, l, r) => GroupById(id, e, b, l, r));

    /// <summary>Every group <paramref name="user"/> belongs to in the group database, <paramref name="group"/> included, as initgroups(3) sets them.</summary>
    public static uint[] GroupsOf(string user, uint group)
    {
        var count = 32;
        while (true)
        {
            var groups = new uint[count];
            fixed (uint* pointer = groups)
            {
                var wanted = count;
                if (GroupList(user, group, pointer, &wanted) >= 0)
                {
                    return groups[..wanted];
                }
                // Too few slots: getgrouplist says how many it needs.
                count = Math.Max(wanted, count * 2);
            }
        }
    }

    // struct passwd on every 64-bit Linux ABI: pw_name 0, pw_passwd 8, pw_uid 16, pw_gid 20, pw_gecos 24, pw_dir 32, pw_shell 40.
    private static (string Name, uint Id, uint GroupId, string Home)? User(Lookup lookup)
        => Find(48, lookup, entry => (Text(entry, 0), *(uint*)(entry + 16), *(uint*)(entry + 20), Text(entry, 32)));

    // struct group on every 64-bit Linux ABI: gr_name 0, gr_passwd 8, gr_gid 16, gr_mem 24.
    private static (string Name, uint Id)? Group(Lookup lookup) => Find(32, lookup, entry => (Text(entry, 0), *(uint*)(entry + 16)));

    private delegate T Reader<T>(byte* entry);

    private static T? Find<T>(int entrySize, Lookup lookup, Reader<T> read)
        where T : struct
    {
        var entry = stackalloc byte[entrySize];
        for (var length = 4096; length <= LargestBuffer; length *= 2)
        {
            var buffer = NativeMemory.Alloc((nuint)length);
            try
            {
                byte* result = null;
                var error = lookup(entry, (byte*)buffer, (nuint)length, &result);
                if (error == Range)
                {
                    continue;
                }
                // No entry, or an error of the database itself (unreachable LDAP): either way, no such name here.
                return error == 0 && result != null ? read(entry) : null;
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }
        return null;
    }

    private static string Text(byte* entry, int offset) => Marshal.PtrToStringUTF8(*(nint*)(entry + offset)) ?? "";
}
