namespace Procman.Configuration.Python;

/// <summary>What evaluating a config file leaves behind: its top-level names and its hooks.</summary>
internal sealed class ConfigModule
{
    public ConfigModule(IReadOnlyList<ConfigAssignment> assignments, IReadOnlyList<ConfigHook> hooks)
    {
        Assignments = assignments;
        Hooks = hooks;
    }

    /// <summary>Final value of every name assigned at module level, in first-assignment order.</summary>
    public IReadOnlyList<ConfigAssignment> Assignments { get; }

    /// <summary>Every top-level <c>def</c>, in definition order.</summary>
    public IReadOnlyList<ConfigHook> Hooks { get; }
}
