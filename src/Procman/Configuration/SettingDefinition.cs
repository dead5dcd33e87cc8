using System.Globalization;

namespace Procman.Configuration;

/// <summary>
/// Everything procman knows about one setting, in one place: its config-file name, CLI flags, type,
/// default, validator and help. The CLI, the config file, <c>--print-config</c> and the docs are all
/// derived from these definitions.
/// </summary>
internal sealed class SettingDefinition
{
    /// <summary>The name in a config file and in <c>--print-config</c> (Gunicorn's name where Gunicorn has one).</summary>
    public required string Name { get; init; }

    public required SettingType Type { get; init; }

    public required string Section { get; init; }

    /// <summary>One sentence for <c>--help</c>.</summary>
    public required string Help { get; init; }

    /// <summary>CLI flags, the long one first.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>The placeholder in <c>--help</c>, such as <c>INT</c> or <c>ADDRESS</c>.</summary>
    public string? ValueName { get; init; }

    /// <summary>The built-in default. Null is Python's None.</summary>
    public required Func<object?> Default { get; init; }

    /// <summary>
    /// An environment variable that, when set and not empty, replaces the built-in default (as <c>WEB_CONCURRENCY</c>
    /// does for <c>workers</c> in Gunicorn). Its value gets the same validation as a flag's.
    /// </summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>Turns the variable's value into this setting's text syntax (<c>PORT=9000</c> is <c>0.0.0.0:9000</c>); the value as it is when null.</summary>
    public Func<string, string>? FromEnvironment { get; init; }

    /// <summary>Set for a Gunicorn setting procman does not implement: why it is ignored. Such a setting has no value.</summary>
    public string? IgnoredBecause { get; init; }

    /// <summary>Whether the flag may be given without its value (Gunicorn's <c>--proxy-protocol</c>).</summary>
    public bool ValueIsOptional { get; init; }

    /// <summary>Whether None (null) is a valid value, meaning "not set".</summary>
    public bool AllowsNone { get; init; }

    /// <summary>How the default is described in the docs.</summary>
    public required string DefaultText { get; init; }

    /// <summary>A text syntax of this setting's own, replacing the type's (as for <c>umask</c>'s octal).</summary>
    public Func<string, (object? Value, string? Error)>? ParseText { get; init; }

    /// <summary>How a config file's int is read for a text setting (<c>max_worker_memory</c>'s int is bytes); an int is an error when null.</summary>
    public Func<long, string>? FromInteger { get; init; }

    /// <summary>
    /// Why a config-file value is ignored with a warning rather than refused, or null. For a name Gunicorn does not have,
    /// which files written for Gunicorn may use for a purpose of their own.
    /// </summary>
    public Func<object?, string?>? IgnoreInConfig { get; init; }

    /// <summary>Checks a typed value; returns the problem and how to fix it, or null when the value is fine.</summary>
    public Func<object, string?>? Validate { get; init; }

    /// <summary>Converts a text value (from the CLI or the environment) to this setting's type.</summary>
    public bool TryParse(string text, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (AllowsNone && text.Trim() is "None" or "none")
        {
            return true;
        }
        if (ParseText is not null)
        {
            (value, error) = ParseText(text);
        }
        else
        {
            ParseByType(text, out value, out error);
        }
        if (value is not null)
        {
            error = Validate?.Invoke(value);
            if (error is not null)
            {
                value = null;
            }
        }
        return error is null;
    }

    private void ParseByType(string text, out object? value, out string? error)
    {
        value = null;
        error = null;
        switch (Type)
        {
            case SettingType.Integer:
                if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    value = integer;
                }
                else
                {
                    error = $"'{text}' is not a whole number";
                }
                break;
            case SettingType.Number:
                if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    value = number;
                }
                else
                {
                    error = $"'{text}' is not a number";
                }
                break;
            case SettingType.Boolean:
                switch (text.Trim().ToLowerInvariant())
                {
                    case "true" or "1" or "yes" or "on":
                        value = true;
                        break;
                    case "false" or "0" or "no" or "off":
                        value = false;
                        break;
                    default:
                        error = $"'{text}' is not true or false";
                        break;
                }
                break;
            case SettingType.TextList:
                value = new[] { text };
                break;
            case SettingType.TextMap:
                var equals = text.IndexOf('=');
                if (equals > 0)
                {
                    value = new Dictionary<string, string> { [text[..equals]] = text[(equals + 1)..] };
                }
                else
                {
                    error = $"'{text}' is not KEY=VALUE";
                }
                break;
            default:
                value = text;
                break;
        }
    }

    /// <summary>
    /// Converts a value from a config file (long, double, string,
    /// bool, null, lists and dicts) to this setting's type, with the same validation as the CLI.
    /// </summary>
    public bool TryConvert(object? python, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (python is null)
        {
            if (!AllowsNone)
            {
                error = $"expected {Expected}, got None";
            }
            return error is null;
        }
        switch (Type, python)
        {
            case (SettingType.Integer, long integer) when integer is >= int.MinValue and <= int.MaxValue:
                value = (int)integer;
                break;
            case (SettingType.Number, long integer):
                value = (double)integer;
                break;
            case (SettingType.Number, double number):
                value = number;
                break;
            case (SettingType.Text, string text):
                value = text;
                break;
            case (SettingType.Text, long integer) when FromInteger is not null:
                value = FromInteger(integer);
                break;
            case (SettingType.Boolean, bool flag):
                value = flag;
                break;
            case (SettingType.TextList, string single):
                value = new[] { single };
                break;
            case (SettingType.TextList, IReadOnlyList<object?> list) when list.All(item => item is string):
                value = list.Cast<string>().ToArray();
                break;
            case (SettingType.TextMap, IReadOnlyDictionary<object, object?> map) when map.All(pair => pair.Key is string && pair.Value is string):
                value = map.ToDictionary(pair => (string)pair.Key, pair => (string)pair.Value!, StringComparer.Ordinal);
                break;
            default:
                error = $"expected {Expected}, got {PythonTypeName(python)} {Format(python)}";
                return false;
        }
        error = Validate?.Invoke(value);
        if (error is not null)
        {
            value = null;
        }
        return error is null;
    }

    /// <summary>The type in words, as error messages and the docs name it.</summary>
    public string Expected => Type switch
    {
        SettingType.Integer => "an integer",
        SettingType.Number => "a number",
        SettingType.Text when FromInteger is not null => "a string or an int",
        SettingType.Text => "a string",
        SettingType.Boolean => "True or False",
        SettingType.TextList => "a string or a list of strings",
        SettingType.TextMap => "a dict of strings",
        _ => Type.ToString(),
    } + (AllowsNone ? " or None" : "");

    private static string PythonTypeName(object value) => value switch
    {
        long => "int",
        double => "float",
        string => "str",
        bool => "bool",
        IReadOnlyDictionary<object, object?> => "dict",
        IReadOnlyList<object?> => "list",
        _ => value.GetType().Name,
    };

    /// <summary>Formats a value the way <c>--print-config</c> and the docs show it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "None",
        string text => $"'{text}'",
        bool flag => flag ? "True" : "False",
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, string> map => "{" + string.Join(", ", map.Select(pair => $"'{pair.Key}': '{pair.Value}'")) + "}",
        IEnumerable<string> list => "[" + string.Join(", ", list.Select(item => $"'{item}'")) + "]",
        IReadOnlyDictionary<object, object?> map => "{" + string.Join(", ", map.Select(pair => $"{Format(pair.Key)}: {Format(pair.Value)}")) + "}",
        IEnumerable<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
