namespace Procman.Configuration.Python;

/// <summary>How a statement ended: control flow is a return value, not an exception, so loops stay cheap.</summary>
internal enum Flow
{
    Normal,
    Break,
    Continue,
    Return,
}
