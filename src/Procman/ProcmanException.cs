namespace Procman;

/// <summary>
/// A failure with a message meant for the operator: printed as one line, never with a stack trace,
/// and mapped to one of the <see cref="ExitCodes"/>.
/// </summary>
internal sealed class ProcmanException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
