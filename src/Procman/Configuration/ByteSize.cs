using System.Globalization;

namespace Procman.Configuration;

/// <summary>Sizes such as <c>512MB</c>, <c>2GiB</c> or <c>1048576</c> (bytes).</summary>
internal static class ByteSize
{
    /// <summary>The smallest memory limit that makes sense for a worker: the .NET runtime and ASP.NET Core alone take more.</summary>
    public const long SmallestWorkerLimit = 32L << 20;

    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30),
        ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30),
        ("B", 1),
    ];

    /// <summary>Parses a size; KB, MB and GB are powers of 1024, as memory limits usually are.</summary>
    public static bool TryParse(string text, out long bytes, out string? error)
    {
        var value = text.Trim().ToUpperInvariant();
        var factor = 1L;
        foreach (var (suffix, unitFactor) in Units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = unitFactor;
                value = value[..^suffix.Length].TrimEnd();
                break;
            }
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && number * factor < long.MaxValue)
        {
            bytes = (long)(number * factor);
            error = null;
            return true;
        }
        bytes = 0;
        error = $"'{text}' is not a size; use a number with a unit, such as 512MB or 2GB";
        return false;
    }
}
