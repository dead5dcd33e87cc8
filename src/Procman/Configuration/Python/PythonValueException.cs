namespace Procman.Configuration.Python;

/// <summary>
/// A Python runtime error (TypeError, ValueError, ...) raised where no source position is known;
/// the interpreter catches it and rethrows it as a positioned <see cref="ConfigSyntaxException"/>.
/// </summary>
internal sealed class PythonValueException : Exception
{
    public PythonValueException(string message, string supported = "")
        : base(message)
    {
        Supported = supported;
    }

    public string Supported { get; }
}
