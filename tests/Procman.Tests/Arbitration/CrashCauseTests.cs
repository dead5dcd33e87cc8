using Procman.Arbitration;

namespace Procman.Tests.Arbitration;

public sealed class CrashCauseTests
{
    private static readonly WorkerExit Aborted = new(134);

    [Fact]
    public void AnAddressInUse_IsNamed_WithTheLineThatSaysSo()
    {
        var cause = CrashCause.Describe(Aborted, [
            "Unhandled exception. System.IO.IOException: Failed to bind to address http://127.0.0.1:5000: address already in use.",
            " ---> Microsoft.AspNetCore.Connections.AddressInUseException: Address already in use",
            "   at Program.<Main>$(String[] args)",
        ]);

        Assert.StartsWith("address already in use (", cause);
        Assert.Contains("Address already in use", cause);
    }

    [Fact]
    public void AMissingFile_IsNamed()
    {
        var cause = CrashCause.Describe(Aborted, ["Unhandled exception. System.IO.FileNotFoundException: Could not find file '/srv/app/secrets.json'.", "   at X.Y()"]);

        Assert.Equal("a missing file (unhandled System.IO.FileNotFoundException: Could not find file '/srv/app/secrets.json'.)", cause);
    }

    [Fact]
    public void AnUnhandledException_IsNamed_WithItsTypeAndMessage()
    {
        var cause = CrashCause.Describe(Aborted, ["starting", "Unhandled exception. System.InvalidOperationException: the database connection string is missing", "   at Program.<Main>$(String[] args)"]);

        Assert.Equal("unhandled System.InvalidOperationException: the database connection string is missing", cause);
    }

    [Fact]
    public void WithoutAnException_TheExitAndTheLastErrorLineSay()
    {
        Assert.Equal("exit code 42; its last error line: giving up", CrashCause.Describe(new WorkerExit(42), ["giving up", ""]));
        Assert.Equal("exit code 1, with nothing on stderr", CrashCause.Describe(new WorkerExit(1), []));
    }
}
