namespace Procman.Configuration.Python;

/// <summary>An exception instance: what <c>ValueError("x")</c> makes and <c>except ... as e</c> binds.</summary>
internal sealed record ExceptionValue(string Type, string Message);
