namespace Procman.FunctionalTests.Infrastructure;

/// <summary>A response that could not be read, with the reason as a <see cref="FailureCause"/>.</summary>
internal sealed class HttpFailureException(FailureCause cause, string detail = "") : Exception($"{cause} {detail}")
{
    public FailureCause Cause { get; } = cause;

    public string Detail { get; } = detail;
}
