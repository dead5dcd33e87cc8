namespace Procman.Arbitration;

/// <summary>A worker's requests per second, over the heartbeats of the last few seconds.</summary>
internal sealed class RequestRate
{
    // Long enough to smooth one-second heartbeats, short enough that procman top shows a change at once.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly Queue<(DateTimeOffset At, long Requests)> _samples = new();

    public void Observe(DateTimeOffset at, long requests)
    {
        _samples.Enqueue((at, requests));
        while (_samples.Count > 2 && at - _samples.Peek().At > Window)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Null until two samples a moment apart have arrived.</summary>
    public double? PerSecond
    {
        get
        {
            if (_samples.Count < 2)
            {
                return null;
            }
            var (firstAt, firstCount) = _samples.Peek();
            var (lastAt, lastCount) = _samples.Last();
            var seconds = (lastAt - firstAt).TotalSeconds;
            return seconds > 0 ? Math.Max(0, lastCount - firstCount) / seconds : null;
        }
    }
}
