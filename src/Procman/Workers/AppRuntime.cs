using System.Text.Json;
using Procman.Configuration;

namespace Procman.Workers;

/// <summary>
/// Checks, before any worker starts, what the app's <c>runtimeconfig.json</c> asks of the machine: an ASP.NET Core
/// app (procman serves nothing else), and frameworks the <c>dotnet</c> host can find.
/// </summary>
/// <remarks>
/// Otherwise each worker fails on its own: the host exits 150 ("framework not found"), and a console app
/// crashes procman's startup hook, both reported as boot failures that point the wrong way. The version rule is
/// the host's roll-forward (a newer minor of the same major by default; <c>rollForward</c> and
/// <c>DOTNET_ROLL_FORWARD</c> widen or narrow it), kept lenient: whatever slips through is still recognised
/// when a worker exits 150.
/// </remarks>
internal static class AppRuntime
{
    public const string AspNetCore = "Microsoft.AspNetCore.App";

    /// <summary>Returns what is wrong and how to fix it, or null.</summary>
    /// <param name="rollForward">DOTNET_ROLL_FORWARD as the workers will see it, if set.</param>
    public static string? Check(AppCommand app, string? rollForward)
    {
        var path = Path.ChangeExtension(app.Path, ".runtimeconfig.json");
        if (!File.Exists(path))
        {
            return null;
        }
        JsonElement options;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("runtimeOptions", out var found) || found.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            options = found.Clone();
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return $"cannot read {path}: {ex.Message}; rebuild or republish the app";
        }
        if (options.TryGetProperty("includedFrameworks", out _))
        {
            // Self-contained: the app carries its frameworks.
            return null;
        }
        var frameworks = Frameworks(options);
        if (frameworks.Count == 0)
        {
            return null;
        }
        if (!frameworks.Any(framework => framework.Name == AspNetCore))
        {
            return $"app '{app.Path}' is not an ASP.NET Core app: {Path.GetFileName(path)} names only {string.Join(", ", frameworks.Select(f => f.Name))}, not {AspNetCore}; "
                + "procman runs web apps (built with the Microsoft.NET.Sdk.Web SDK)";
        }
        return app.IsDll ? CheckInstalled(app, frameworks, rollForward ?? RollForwardOf(options)) : null;
    }

    private static string? CheckInstalled(AppCommand app, IReadOnlyList<(string Name, Version Version, string Text)> frameworks, string rollForward)
    {
        var found = new FileInfo(DotnetHost.Find());
        // A link to a removed installation exists as a link only.
        var host = found.Exists ? found.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? found : null;
        if (host is null || !host.Exists)
        {
            return $"app '{app.Path}' is a .dll, which the dotnet host runs, and no dotnet host is installed here (looked at DOTNET_ROOT, PATH and "
                + "/etc/dotnet/install_location); install the .NET runtime, or set DOTNET_ROOT to the directory that holds dotnet";
        }
        var shared = Path.Combine(host.DirectoryName!, "shared");
        if (!Directory.Exists(shared))
        {
            return null;
        }
        foreach (var (name, version, text) in frameworks)
        {
            var installed = Installed(Path.Combine(shared, name));
            if (!installed.Any(candidate => Accepts(rollForward, version, candidate)))
            {
                var have = installed.Count == 0 ? "none" : string.Join(", ", installed.Order());
                return $"app '{app.Path}' needs the framework {name} {text}, which this machine does not have (installed: {have}); "
                    + $"install the .NET {version.Major} runtime, or let the app run on a newer one with -e DOTNET_ROLL_FORWARD=Major";
            }
        }
        return null;
    }

    private static bool Accepts(string rollForward, Version wanted, Version candidate) => rollForward.ToUpperInvariant() switch
    {
        "DISABLE" => candidate == wanted,
        "LATESTPATCH" => candidate.Major == wanted.Major && candidate.Minor == wanted.Minor && candidate >= wanted,
        "MAJOR" or "LATESTMAJOR" or "2" => candidate >= wanted,
        "0" => candidate.Major == wanted.Major && candidate.Minor == wanted.Minor && candidate >= wanted,
        _ => candidate.Major == wanted.Major && candidate >= wanted,
    };

    private static string RollForwardOf(JsonElement options)
        => options.TryGetProperty("rollForward", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!
            : options.TryGetProperty("rollForwardOnNoCandidateFx", out var legacy) && legacy.ValueKind == JsonValueKind.Number ? legacy.GetRawText()
            : "Minor";

    private static List<(string Name, Version Version, string Text)> Frameworks(JsonElement options)
    {
        var elements = options.TryGetProperty("frameworks", out var many) && many.ValueKind == JsonValueKind.Array ? [.. many.EnumerateArray()]
            : options.TryGetProperty("framework", out var one) && one.ValueKind == JsonValueKind.Object ? new List<JsonElement> { one }
            : [];
        var frameworks = new List<(string, Version, string)>();
        foreach (var element in elements)
        {
            if (element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && element.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
                && ParseVersion(version.GetString()!) is { } parsed)
            {
                frameworks.Add((name.GetString()!, parsed, version.GetString()!));
            }
        }
        return frameworks;
    }

    private static List<Version> Installed(string directory)
        => Directory.Exists(directory)
            ? [.. Directory.GetDirectories(directory).Select(path => ParseVersion(Path.GetFileName(path))).OfType<Version>()]
            : [];

    /// <summary>A framework version without its prerelease suffix ("10.0.0-rc.1" is 10.0.0).</summary>
    private static Version? ParseVersion(string text)
        => Version.TryParse(text.Split('-', '+')[0], out var version) ? new Version(version.Major, version.Minor, Math.Max(version.Build, 0)) : null;
}
