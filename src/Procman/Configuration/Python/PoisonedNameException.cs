namespace Procman.Configuration.Python;

/// <summary>
/// A statement read a name whose own assignment already failed: that failure is reported, so this one
/// is not (it would only repeat it); the statement is skipped and its own targets are poisoned in turn.
/// </summary>
internal sealed class PoisonedNameException(string name) : Exception($"`{name}` was not assigned because of an earlier error");
