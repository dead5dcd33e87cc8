namespace Procman.Configuration.Python;

/// <summary>What evaluating a config file leaves behind: its top-level names, its hooks and its warnings.</summary>
internal sealed class ConfigModule
{
    public ConfigModule(IReadOnlyList<ConfigAssignment> assignments, IReadOnlyList<ConfigHook> hooks, IReadOnlyList<string> warnings)
    {
        Assignments = assignments;
        Hooks = hooks;
        Warnings = warnings;
    }

    /// <summary>Final value of every name assigned at module level, in first-assignment order.</summary>
    public IReadOnlyList<ConfigAssignment> Assignments { get; }

    /// <summary>Every module-level function the file never calls, in definition order.</summary>
    public IReadOnlyList<ConfigHook> Hooks { get; }

    /// <summary><c>FILE:LINE: ...</c> lines for top-level code that had no effect (print, uses of inert modules).</summary>
    public IReadOnlyList<string> Warnings { get; }
}
