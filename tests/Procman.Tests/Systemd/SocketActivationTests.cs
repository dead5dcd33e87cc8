using Procman.Systemd;
using Procman.Tests.Configuration;

namespace Procman.Tests.Systemd;

public sealed class SocketActivationTests
{
    private const int Pid = 4242;

    [Theory]
    [InlineData("1", "1")]
    [InlineData("4243", "1")]
    [InlineData(null, "1")]
    [InlineData("4242", null)]
    [InlineData("4242", "0")]
    public void Adopt_TakesNothing_UnlessListenPidNamesThisProcessAndListenFdsIsPositive(string? listenPid, string? listenFds)
    {
        var variables = new List<(string, string)>();
        if (listenPid is not null)
        {
            variables.Add((SystemdEnvironment.ListenPid, listenPid));
        }
        if (listenFds is not null)
        {
            variables.Add((SystemdEnvironment.ListenFds, listenFds));
        }

        Assert.Empty(SocketActivation.Adopt(new FakeEnvironment([.. variables]), Pid));
    }
}
