namespace Procman.FunctionalTests.Infrastructure;

/// <summary>Why a request of <see cref="ChaosLoad"/> failed.</summary>
internal enum FailureCause
{
    ConnectionRefused,
    ConnectError,
    ConnectionReset,
    WriteError,
    ClosedWithoutResponse,
    ClosedMidResponse,
    Timeout,
    Non2xx,
    MalformedResponse,
}
