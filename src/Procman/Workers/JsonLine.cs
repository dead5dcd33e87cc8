using System.Text.Json;
using Serilog.Events;

namespace Procman.Workers;

/// <summary>A worker's output line that is itself a JSON object, as Serilog's or the console logger's JSON formatters write.</summary>
/// <param name="Value">The object, for embedding in procman's own event.</param>
/// <param name="Level">The level it names, raised to Information: the app chose to print it.</param>
internal readonly record struct JsonLine(LogEventPropertyValue Value, LogEventLevel Level)
{
    /// <summary>Level fields of the common formats: the console logger's JSON, compact Serilog, and the usual lower-case one.</summary>
    private static readonly string[] LevelFields = ["LogLevel", "@l", "level", "Level"];

    public static JsonLine? TryRead(string line)
    {
        var text = line.AsSpan().Trim();
        if (text.Length < 2 || text[0] != '{' || text[^1] != '}')
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            var level = LevelOf(document.RootElement);
            return new JsonLine(ValueOf(document.RootElement), level > LogEventLevel.Information ? level : LogEventLevel.Information);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static LogEventPropertyValue ValueOf(JsonElement element) => element.ValueKind switch
    {
        // A dictionary, not a structure: JSON keys may be any string, property names may not.
        JsonValueKind.Object => new DictionaryValue(element.EnumerateObject()
            .Select(property => new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(property.Name), ValueOf(property.Value)))),
        JsonValueKind.Array => new SequenceValue(element.EnumerateArray().Select(ValueOf)),
        JsonValueKind.String => new ScalarValue(element.GetString()),
        JsonValueKind.Number => new ScalarValue(NumberOf(element)),
        JsonValueKind.True => new ScalarValue(true),
        JsonValueKind.False => new ScalarValue(false),
        _ => new ScalarValue(null),
    };

    /// <summary>The number as written when it fits a long or a decimal, a double beyond both, its text beyond a double.</summary>
    private static object NumberOf(JsonElement element)
        => element.TryGetInt64(out var whole) ? whole
            : element.TryGetDecimal(out var exact) ? exact
            : element.TryGetDouble(out var approximate) && double.IsFinite(approximate) ? approximate
            : element.GetRawText();

    private static LogEventLevel LevelOf(JsonElement root)
    {
        foreach (var field in LevelFields)
        {
            if (root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!.ToLowerInvariant() switch
                {
                    "critical" or "fatal" or "crit" => LogEventLevel.Fatal,
                    "error" or "err" or "fail" => LogEventLevel.Error,
                    "warning" or "warn" => LogEventLevel.Warning,
                    _ => LogEventLevel.Information,
                };
            }
        }
        return LogEventLevel.Information;
    }
}
