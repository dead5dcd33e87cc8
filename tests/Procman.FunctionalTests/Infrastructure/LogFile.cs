namespace Procman.FunctionalTests.Infrastructure;

/// <summary>The master's events as written to an <c>--error-logfile</c>, for tests whose master does not log to stderr.</summary>
internal static class LogFile
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static IReadOnlyList<MasterEvent> Events(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Select(MasterEvent.TryParse).OfType<MasterEvent>().ToArray();
    }

    /// <summary>Waits until the file holds <paramref name="count"/> events with this id in all.</summary>
    public static async Task<IReadOnlyList<MasterEvent>> WaitForEventsAsync(string path, int id, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var matching = Events(path).Where(e => e.Id == id).ToArray();
            if (matching.Length >= count)
            {
                return matching;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {count} event(s) with id {id} in {path}");
            }
            await Task.Delay(PollInterval);
        }
    }
}
