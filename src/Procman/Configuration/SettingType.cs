namespace Procman.Configuration;

/// <summary>The value types a setting can have; each has one text syntax shared by the CLI and the environment.</summary>
internal enum SettingType
{
    /// <summary>A whole number (<see cref="int"/>).</summary>
    Integer,

    /// <summary>A decimal number (<see cref="double"/>), used for durations in seconds.</summary>
    Number,

    /// <summary>A string.</summary>
    Text,

    /// <summary>A repeatable string (<see cref="IReadOnlyList{T}"/> of <see cref="string"/>).</summary>
    TextList,

    /// <summary>An on/off switch (<see cref="bool"/>).</summary>
    Boolean,

    /// <summary>Pairs of strings (<see cref="IReadOnlyDictionary{TKey, TValue}"/>), a dict in a config file and KEY=VALUE on the CLI.</summary>
    TextMap,
}
