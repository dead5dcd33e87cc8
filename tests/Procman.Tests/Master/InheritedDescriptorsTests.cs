using Procman.Configuration;
using Procman.Master;
using Procman.Native;
using Procman.Tests.Configuration;

namespace Procman.Tests.Master;

public sealed class InheritedDescriptorsTests
{
    [Fact]
    public void Seal_GivesCloseOnExecToAnInheritedFd_ButNotToOneAnFdBindNames()
    {
        using var stray = File.OpenRead("/proc/self/status");
        using var named = File.OpenRead("/proc/self/status");
        var strayFd = (int)stray.SafeFileHandle.DangerousGetHandle();
        var namedFd = (int)named.SafeFileHandle.DangerousGetHandle();
        Libc.SetInheritable(strayFd, inheritable: true);
        Libc.SetInheritable(namedFd, inheritable: true);

        InheritedDescriptors.Seal([new BindAddress.FileDescriptor(namedFd)], new FakeEnvironment());

        Assert.False(Libc.IsInheritable(strayFd));
        Assert.True(Libc.IsInheritable(namedFd));
    }

    [Fact]
    public void Seal_LeavesTheFdsSystemdPassesToThisProcessAlone()
    {
        using var passed = File.OpenRead("/proc/self/status");
        var fd = (int)passed.SafeFileHandle.DangerousGetHandle();
        Libc.SetInheritable(fd, inheritable: true);
        var environment = new FakeEnvironment(
            ("LISTEN_FDS", (fd - 2).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("LISTEN_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        InheritedDescriptors.Seal([], environment);

        Assert.True(Libc.IsInheritable(fd));
        Libc.SetInheritable(fd, inheritable: false);
    }
}
