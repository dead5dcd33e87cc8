using System.Net;
using System.Net.Sockets;
using Procman.Configuration;
using Procman.Listeners;

namespace Procman.Tests.Listeners;

/// <summary>The master's sockets on loopback: what is shared, what each slot gets, and what a reload may change.</summary>
public sealed class ListenerSetTests
{
    private static readonly BindAddress Loopback = new BindAddress.Tcp("127.0.0.1", 0);

    [Fact]
    public void Shared_EverySlotGetsTheOneListeningSocket()
    {
        using var set = ListenerSet.Bind([Loopback], backlog: 16, umask: 0, reusePort: false);
        var listener = Assert.Single(set.Listeners);

        Assert.False(listener.PerSlot);
        Assert.True(Listener.IsListening(listener.Socket));
        Assert.Same(listener.Socket, listener.SocketFor(1));
        Assert.Same(listener.Socket, listener.SocketFor(2));
    }

    [Fact]
    public void ReusePort_EachSlotGetsItsOwnSocketOnTheSamePort_AndTheAnchorNeverListens()
    {
        using var set = ListenerSet.Bind([Loopback], backlog: 16, umask: 0, reusePort: true);
        var listener = Assert.Single(set.Listeners);
        var port = ((IPEndPoint)listener.Socket.LocalEndPoint!).Port;

        var first = listener.SocketFor(1);
        var second = listener.SocketFor(2);

        Assert.True(listener.PerSlot);
        Assert.False(Listener.IsListening(listener.Socket));
        Assert.NotSame(first, second);
        Assert.Same(first, listener.SocketFor(1));
        Assert.Equal(port, ((IPEndPoint)first.LocalEndPoint!).Port);
        Assert.Equal(port, ((IPEndPoint)second.LocalEndPoint!).Port);
        // Bound, not listening: a slot's socket joins the kernel's group when its worker's Kestrel listens.
        Assert.False(Listener.IsListening(first));
        Assert.Equal([1, 2], listener.Slots.Order());
    }

    [Fact]
    public void ReusePort_ReleasedSlot_IsClosed_AndItsNextWorkerGetsANewSocket()
    {
        using var set = ListenerSet.Bind([Loopback], backlog: 16, umask: 0, reusePort: true);
        var listener = set.Listeners[0];
        var released = listener.SocketFor(2);
        released.Listen(16);

        set.Release(2);

        Assert.Throws<ObjectDisposedException>(() => released.LocalEndPoint);
        Assert.DoesNotContain(2, listener.Slots);
        Assert.NotSame(released, listener.SocketFor(2));
    }

    [Fact]
    public void ReusePort_APortAnotherSocketHolds_IsRefusedAsInUse()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        var port = ((IPEndPoint)other.LocalEndPoint!).Port;

        var error = Assert.Throws<ProcmanException>(() => ListenerSet.Bind([new BindAddress.Tcp("127.0.0.1", port)], 16, 0, reusePort: true));

        Assert.Contains("address already in use", error.Message);
        Assert.Equal(ExitCodes.BindFailure, error.ExitCode);
    }

    [Fact]
    public void ReusePort_OnAUnixSocket_StaysShared()
    {
        var path = Path.Combine(Path.GetTempPath(), $"procman-test-{Guid.NewGuid():N}.sock");
        using var set = ListenerSet.Bind([new BindAddress.Unix(path)], backlog: 16, umask: 0, reusePort: true);

        Assert.False(Assert.Single(set.Listeners).PerSlot);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Rebind_ChangingReusePortForAKeptAddress_IsRefused(bool before, bool after)
    {
        using var set = ListenerSet.Bind([Loopback], backlog: 16, umask: 0, reusePort: before);
        var extra = new BindAddress.Tcp("localhost", 0);

        var error = Assert.Throws<ProcmanException>(() => set.Rebind([extra, Loopback], 16, 0, after));

        Assert.Contains("reuse_port cannot change while procman runs", error.Message);
    }

    [Fact]
    public void Unix_InADirectoryThatDoesNotExist_SaysSoAndBindsNothing()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"procman-missing-{Guid.NewGuid():N}");
        var address = new BindAddress.Unix(Path.Combine(missing, "s.sock"));

        var error = Assert.Throws<ProcmanException>(() => ListenerSet.Bind([address], backlog: 16, umask: 0, reusePort: false));

        Assert.Equal(ExitCodes.BindFailure, error.ExitCode);
        Assert.Equal($"cannot bind {address}: directory {missing} does not exist; create it first", error.Message);
    }

    [Fact]
    public void Unix_WithAPathOverTheSunPathLimit_FailsWithOneLine_NotAnEndpointException()
    {
        // Such an address cannot be parsed; a reload re-binding from a constructed one still must not throw from .NET.
        var address = new BindAddress.Unix("/tmp/" + new string('s', 120));

        var error = Assert.Throws<ProcmanException>(() => ListenerSet.Bind([address], backlog: 16, umask: 0, reusePort: false));

        Assert.Equal(ExitCodes.BindFailure, error.ExitCode);
        Assert.StartsWith($"cannot bind {address}: the path is 125 bytes, and a unix socket path has at most 107", error.Message);
    }
}
