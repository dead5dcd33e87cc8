using Procman.Configuration;
using Procman.Control;
using Procman.Tests.Configuration;

namespace Procman.Tests.Control;

public sealed class ControlSocketPathTests
{
    private static readonly ProcmanOptions Defaults = new()
    {
        App = new AppCommand("/srv/app/App.dll", []),
        Binds = [],
        Workers = 1,
        Chdir = "/srv/app",
    };

    [Fact]
    public void ASetPath_IsResolvedFromChdir()
        => Assert.Equal("/srv/app/run/app.ctl", ControlSocketPath.Of(Defaults with { ControlSocket = "run/app.ctl" }, new FakeEnvironment(), 1000, 42));

    [Fact]
    public void WithAPidfile_ItIsThePidfilesPathWithCtl()
        => Assert.Equal("/run/app/app.ctl", ControlSocketPath.Of(Defaults with { PidFile = "/run/app/app.pid", ProcName = "api" }, new FakeEnvironment(), 1000, 42));

    [Fact]
    public void WithAName_ItIsTheNameInTheRuntimeDirectory()
        => Assert.Equal("/run/user/1000/procman/api.ctl", ControlSocketPath.Of(Defaults with { ProcName = "api" }, new FakeEnvironment(("XDG_RUNTIME_DIR", "/run/user/1000")), 1000, 42));

    [Fact]
    public void WithNeither_ItIsNamedByTheMasterPid_SoTwoInstancesNeverShareIt()
    {
        Assert.Equal("/run/procman/procman.42.ctl", ControlSocketPath.Of(Defaults, new FakeEnvironment(), 0, 42));
        Assert.Equal("/tmp/procman-1000/procman.43.ctl", ControlSocketPath.Of(Defaults, new FakeEnvironment(), 1000, 43));
        Assert.Null(ControlSocketPath.Of(Defaults, new FakeEnvironment(), 1000, masterPid: null));
        Assert.Equal(43, ControlSocketPath.PidOf("/tmp/procman-1000/procman.43.ctl"));
        Assert.Null(ControlSocketPath.PidOf("/tmp/procman-1000/api.ctl"));
    }
}
