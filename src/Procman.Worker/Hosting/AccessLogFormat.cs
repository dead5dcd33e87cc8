using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Procman.Worker.Hosting;

/// <summary>
/// Gunicorn's access log format (<c>%(h)s %(t)s "%(r)s" ...</c>), parsed once into parts, then rendered
/// for each request.
/// </summary>
internal sealed class AccessLogFormat
{
    private readonly List<Func<HttpContext, TimeSpan, string>> _parts = [];

    public AccessLogFormat(string format)
    {
        var literal = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            // An atom is %(name)s; anything else, including a lone %, is literal text.
            var close = format[i] == '%' && i + 1 < format.Length && format[i + 1] == '(' ? format.IndexOf(")s", i + 2, StringComparison.Ordinal) : -1;
            if (close < 0)
            {
                literal.Append(format[i]);
                i++;
                continue;
            }
            if (literal.Length > 0)
            {
                var text = literal.ToString();
                _parts.Add((_, _) => text);
                literal.Clear();
            }
            _parts.Add(Atom(format[(i + 2)..close]));
            i = close + 2;
        }
        if (literal.Length > 0)
        {
            var text = literal.ToString();
            _parts.Add((_, _) => text);
        }
    }

    public string Render(HttpContext context, TimeSpan elapsed)
    {
        var line = new StringBuilder();
        foreach (var part in _parts)
        {
            line.Append(part(context, elapsed));
        }
        return line.ToString();
    }

    private static Func<HttpContext, TimeSpan, string> Atom(string name)
    {
        if (name.Length > 3 && name[0] == '{' && name[^2] == '}')
        {
            var key = name[1..^2];
            return name[^1] switch
            {
                'i' => (context, _) => OrDash(context.Request.Headers[key].ToString()),
                'o' => (context, _) => OrDash(context.Response.Headers[key].ToString()),
                'e' => (_, _) => OrDash(Environment.GetEnvironmentVariable(key)),
                _ => (_, _) => "-",
            };
        }
        return name switch
        {
            "h" => (context, _) => context.Connection.RemoteIpAddress?.ToString() ?? "-",
            "l" or "u" => (_, _) => "-",
            "t" => (_, _) => DateTimeOffset.Now.ToString("[dd/MMM/yyyy:HH:mm:ss zzz]", CultureInfo.InvariantCulture).Remove(25, 1),
            "r" => (context, _) => $"{context.Request.Method} {Target(context.Request)} {context.Request.Protocol}",
            "m" => (context, _) => context.Request.Method,
            "U" => (context, _) => context.Request.PathBase + context.Request.Path,
            "q" => (context, _) => context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "",
            "H" => (context, _) => context.Request.Protocol,
            "s" => (context, _) => context.Response.StatusCode.ToString(CultureInfo.InvariantCulture),
            "B" => (context, _) => (context.Response.ContentLength ?? 0).ToString(CultureInfo.InvariantCulture),
            "b" => (context, _) => context.Response.ContentLength is long length ? length.ToString(CultureInfo.InvariantCulture) : "-",
            "f" => (context, _) => OrDash(context.Request.Headers.Referer.ToString()),
            "a" => (context, _) => OrDash(context.Request.Headers.UserAgent.ToString()),
            "T" => (_, elapsed) => ((long)elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "M" => (_, elapsed) => ((long)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "D" => (_, elapsed) => ((long)(elapsed.Ticks / 10)).ToString(CultureInfo.InvariantCulture),
            "L" => (_, elapsed) => elapsed.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture),
            "p" => (_, _) => $"<{Environment.ProcessId}>",
            _ => (_, _) => "-",
        };
    }

    private static string Target(HttpRequest request) => request.PathBase + request.Path + request.QueryString;

    private static string OrDash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;
}
