using System.Globalization;
using System.Net;

namespace Procman.Configuration;

/// <summary>One address the master listens on, as given with <c>-b/--bind</c>.</summary>
internal abstract record BindAddress
{
    public const int DefaultPort = 8000;

    /// <summary>
    /// The longest unix socket path, in bytes: sockaddr_un's sun_path is 108 bytes on Linux, and .NET passes the path
    /// with its closing NUL.
    /// </summary>
    public const int MaxUnixPathBytes = 107;

    /// <summary>A TCP address: <c>HOST:PORT</c>, <c>[IPv6]:PORT</c>, or a host name resolved at bind time.</summary>
    public sealed record Tcp(string Host, int Port) : BindAddress
    {
        public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
    }

    /// <summary>A unix domain socket: <c>unix:PATH</c>.</summary>
    public sealed record Unix(string Path) : BindAddress
    {
        public override string ToString() => $"unix:{Path}";
    }

    /// <summary>An already-open listening socket inherited from whoever started procman: <c>fd://N</c>.</summary>
    public sealed record FileDescriptor(int Fd) : BindAddress
    {
        public override string ToString() => $"fd://{Fd}";
    }

    /// <summary>
    /// Parses Gunicorn's bind syntax. Returns false with a message naming what is wrong and the accepted forms.
    /// </summary>
    public static bool TryParse(string text, out BindAddress? address, out string? error)
    {
        address = null;
        error = null;
        var value = text.Trim();
        if (value.Length == 0)
        {
            error = "empty bind address; use HOST:PORT, [IPv6]:PORT, unix:PATH or fd://N";
            return false;
        }

        if (value.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = value["unix:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }
            if (path.Length == 0)
            {
                error = $"bind address '{text}' has no path; use unix:/run/app.sock";
                return false;
            }
            // Checked as given, and again by ProcmanOptions once a relative path is resolved against chdir.
            if (UnixPathProblem(path) is { } problem)
            {
                error = $"bind address '{text}': {problem}";
                return false;
            }
            // Kept as given: ProcmanOptions resolves a relative path against chdir.
            address = new Unix(path);
            return true;
        }

        if (value.StartsWith("fd://", StringComparison.Ordinal))
        {
            if (!int.TryParse(value["fd://".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var fd) || fd < 0)
            {
                error = $"bind address '{text}' is not a valid fd; use fd://N with N a non-negative integer";
                return false;
            }
            address = new FileDescriptor(fd);
            return true;
        }

        if (value.StartsWith("tcp://", StringComparison.Ordinal))
        {
            value = value["tcp://".Length..];
        }

        string host;
        string? port;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']');
            if (close < 0)
            {
                error = $"bind address '{text}' has an unclosed '['; use [IPv6]:PORT, for example [::1]:8000";
                return false;
            }
            host = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
            {
                error = $"bind address '{text}' has text after ']' that is not ':PORT'; use [IPv6]:PORT";
                return false;
            }
            port = rest.Length > 0 ? rest[1..] : null;
            if (!IPAddress.TryParse(host, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"bind address '{text}' has '{host}' in brackets, which is not an IPv6 address";
                return false;
            }
        }
        else
        {
            var colon = value.LastIndexOf(':');
            if (colon >= 0 && value.IndexOf(':') != colon)
            {
                error = $"bind address '{text}' looks like a bare IPv6 address; put it in brackets: [{value}]:PORT";
                return false;
            }
            host = colon < 0 ? value : value[..colon];
            port = colon < 0 ? null : value[(colon + 1)..];
            if (host.Length == 0)
            {
                host = "0.0.0.0";
            }
        }

        var portNumber = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber > 65535))
        {
            error = $"bind address '{text}' has an invalid port '{port}'; use a number from 0 to 65535";
            return false;
        }
        if (host.Any(c => char.IsWhiteSpace(c) || c == '/'))
        {
            error = $"bind address '{text}' has an invalid host '{host}'; use an IP address or a host name";
            return false;
        }
        address = new Tcp(host, portNumber);
        return true;
    }

    /// <summary>Why the kernel would refuse <paramref name="path"/> as a unix socket address, or null.</summary>
    public static string? UnixPathProblem(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(path);
        return bytes <= MaxUnixPathBytes
            ? null
            : $"the path is {bytes} bytes, and a unix socket path has at most {MaxUnixPathBytes} (the 108-byte sun_path with its closing NUL); choose a shorter one, such as /run/app.sock";
    }
}
