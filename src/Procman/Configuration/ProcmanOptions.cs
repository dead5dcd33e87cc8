namespace Procman.Configuration;

/// <summary>The settings of one run, typed and validated: what the master acts on.</summary>
internal sealed record ProcmanOptions
{
    public required AppCommand App { get; init; }

    public required IReadOnlyList<BindAddress> Binds { get; init; }

    public required int Workers { get; init; }

    public required int Backlog { get; init; }

    public required TimeSpan GracefulTimeout { get; init; }

    /// <summary>Heartbeat timeout; <see cref="TimeSpan.Zero"/> means off.</summary>
    public required TimeSpan Timeout { get; init; }

    public required TimeSpan BootTimeout { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    public required string LogLevel { get; init; }

    public required string LogFormat { get; init; }

    public static ProcmanOptions From(SettingValues values, AppCommand app) => new()
    {
        App = app,
        Binds = values.Get<IReadOnlyList<string>>(Settings.Bind).Select(text =>
        {
            BindAddress.TryParse(text, out var address, out _);
            return address!;
        }).Distinct().ToArray(),
        Workers = values.Get<int>(Settings.Workers),
        Backlog = values.Get<int>(Settings.Backlog),
        GracefulTimeout = TimeSpan.FromSeconds(values.Get<double>(Settings.GracefulTimeout)),
        Timeout = TimeSpan.FromSeconds(values.Get<double>(Settings.Timeout)),
        BootTimeout = TimeSpan.FromSeconds(values.Get<double>(Settings.BootTimeout)),
        Environment = values.Get<IReadOnlyList<string>>(Settings.RawEnv).Select(item =>
        {
            var equals = item.IndexOf('=');
            return KeyValuePair.Create(item[..equals], item[(equals + 1)..]);
        }).ToArray(),
        LogLevel = values.Get<string>(Settings.LogLevel).ToLowerInvariant(),
        LogFormat = values.Get<string>(Settings.LogFormat).ToLowerInvariant(),
    };
}
