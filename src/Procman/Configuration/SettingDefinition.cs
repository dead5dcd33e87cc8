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

    /// <summary>The default; may depend on the environment (as <c>workers</c> does on <c>WEB_CONCURRENCY</c>).</summary>
    public required Func<IEnvironment, object> Default { get; init; }

    /// <summary>How the default is described in the docs.</summary>
    public required string DefaultText { get; init; }

    /// <summary>Checks a typed value; returns the problem and how to fix it, or null when the value is fine.</summary>
    public Func<object, string?>? Validate { get; init; }

    /// <summary>Converts a text value (from the CLI or the environment) to this setting's type.</summary>
    public bool TryParse(string text, out object? value, out string? error)
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
            default:
                value = text;
                break;
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

    /// <summary>Formats a value the way <c>--print-config</c> and the docs show it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "None",
        string text => $"'{text}'",
        bool flag => flag ? "True" : "False",
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        IEnumerable<string> list => "[" + string.Join(", ", list.Select(item => $"'{item}'")) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
