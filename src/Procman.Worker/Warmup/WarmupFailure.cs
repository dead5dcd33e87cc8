namespace Procman.Worker.Warmup;

/// <summary>The warm-up requests to one path that failed: how many of how many sent, and the first one's status or exception.</summary>
internal sealed record WarmupFailure(string Path, int Count, int Sent, int Status, Exception? Exception);
