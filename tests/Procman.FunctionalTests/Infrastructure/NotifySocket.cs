using System.Net.Sockets;
using System.Text;

namespace Procman.FunctionalTests.Infrastructure;

/// <summary>
/// The test's side of systemd's notify protocol: a unix datagram socket whose address goes into procman's
/// NOTIFY_SOCKET, and every message procman sends to it.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _messages = [];
    private readonly object _lock = new();
    private readonly string? _file;
    private readonly Task _receive;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="abstractName">Bind in the abstract namespace (NOTIFY_SOCKET=@NAME) instead of at a path in <paramref name="directory"/>.</param>
    public NotifySocket(string directory, bool abstractName = false)
    {
        var name = $"procman-notify-{Guid.NewGuid():N}";
        if (abstractName)
        {
            _socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
            Address = "@" + name;
        }
        else
        {
            _file = Path.Combine(directory, "notify.sock");
            _socket.Bind(new UnixDomainSocketEndPoint(_file));
            Address = _file;
        }
        _receive = ReceiveAsync();
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Address { get; }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Every field received so far, in order (a message holds one per line).</summary>
    public IReadOnlyList<string> Fields => [.. Messages.SelectMany(message => message.Split('\n'))];

    /// <summary>The field names received so far, in order, leaving out STATUS= and WATCHDOG=.</summary>
    public IReadOnlyList<string> States => [.. Fields.Select(line => line[..line.IndexOf('=')]).Where(name => name is not "STATUS" and not "WATCHDOG")];

    /// <summary>Waits until <paramref name="count"/> fields equal to <paramref name="field"/> have arrived in all.</summary>
    public async Task WaitForAsync(string field, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }
            if (Fields.Count(f => f == field) >= count)
            {
                return;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {count} × {field}; received:\n{string.Join("\n---\n", Messages)}");
            }
            await Task.WhenAny(changed, Task.Delay(remaining));
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_file is not null)
        {
            File.Delete(_file);
        }
        _receive.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                TaskCompletionSource changed;
                lock (_lock)
                {
                    _messages.Add(Encoding.UTF8.GetString(buffer, 0, read));
                    changed = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                changed.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Disposed at the end of the test.
        }
    }
}
