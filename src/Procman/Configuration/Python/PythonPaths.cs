namespace Procman.Configuration.Python;

/// <summary>
/// The os.path family with POSIX semantics. All are pure string functions except abspath/realpath (which
/// read the current directory), expanduser (which reads HOME) and exists/isfile/isdir, which ask the file
/// system whether a path exists and of what kind, and nothing more: no file is opened, read or listed.
/// </summary>
internal static class PythonPaths
{
    public static string Join(string left, string right) =>
        right.StartsWith('/') ? right : left.Length == 0 || left.EndsWith('/') ? left + right : $"{left}/{right}";

    public static string DirectoryName(string path)
    {
        var head = path[..(path.LastIndexOf('/') + 1)];
        return head.Length > 0 && head.Any(c => c != '/') ? head.TrimEnd('/') : head;
    }

    public static string BaseName(string path) => path[(path.LastIndexOf('/') + 1)..];

    public static object?[] Split(string path) => [DirectoryName(path), BaseName(path)];

    public static object?[] SplitExtension(string path)
    {
        var name = BaseName(path);
        var dot = name.LastIndexOf('.');
        // A leading dot (".bashrc") is part of the name, as in Python.
        if (dot <= 0 || name[..dot].All(c => c == '.'))
        {
            return [path, ""];
        }
        var cut = path.Length - name.Length + dot;
        return [path[..cut], path[cut..]];
    }

    public static string Normalize(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }
        // POSIX keeps exactly two leading slashes; one or three and more become one.
        var leading = path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2 : path.StartsWith('/') ? 1 : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == ".." && (parts.Count > 0 ? parts[^1] != ".." : leading > 0))
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        var joined = new string('/', leading) + string.Join('/', parts);
        return joined.Length == 0 ? "." : joined;
    }

    public static string Absolute(string path) => Normalize(path.StartsWith('/') ? path : Join(Directory.GetCurrentDirectory(), path));

    public static string ExpandUser(string path, string? home) =>
        home is not null && (path == "~" || path.StartsWith("~/", StringComparison.Ordinal)) ? (home.TrimEnd('/') is { Length: > 0 } h ? h : "/") + path[1..] : path;

    public static bool Exists(string path, string kind) => kind switch
    {
        "isfile" => File.Exists(path),
        "isdir" => Directory.Exists(path),
        _ => File.Exists(path) || Directory.Exists(path),
    };
}
