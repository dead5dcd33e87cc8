using Procman.Native;

namespace Procman.Configuration;

/// <summary>The settings of one run (or of one reload), typed and validated: what the master acts on.</summary>
internal sealed record ProcmanOptions
{
    public required AppCommand App { get; init; }

    public required IReadOnlyList<BindAddress> Binds { get; init; }

    public required int Workers { get; init; }

    public int Backlog { get; init; } = 2048;

    /// <summary>One SO_REUSEPORT socket per worker slot on each TCP address, instead of one shared accept queue.</summary>
    public bool ReusePort { get; init; }

    public TimeSpan GracefulTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long procman keeps serving after SIGTERM before its graceful stop begins.</summary>
    public TimeSpan ShutdownDelay { get; init; }

    /// <summary>Heartbeat timeout; <see cref="TimeSpan.Zero"/> means off.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How many new workers a reload boots at a time; 0 for all at once.</summary>
    public int ReloadBatch { get; init; }

    /// <summary>The nice value a worker boots at until it is ready; 0 for none.</summary>
    public int BootNice { get; init; }

    public string? DumpDirectory { get; init; }

    public bool Balance { get; init; } = true;

    public int MaxRequests { get; init; }

    public int MaxRequestsJitter { get; init; }

    public long? MaxWorkerMemory { get; init; }

    public TimeSpan MaxWorkerLifetime { get; init; }

    public TimeSpan MaxWorkerLifetimeJitter { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public IReadOnlyList<string> WarmupPaths { get; init; } = [];

    public int WarmupRequests { get; init; } = 10;

    public TimeSpan WarmupTierUpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string LogLevel { get; init; } = "info";

    public string LogFormat { get; init; } = "text";

    public string ErrorLog { get; init; } = "-";

    public string? AccessLog { get; init; }

    public string AccessLogFormat { get; init; } = Settings.DefaultAccessLogFormat;

    public bool CaptureOutput { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(130);

    public int? WorkerConnections { get; init; }

    public int LimitRequestLine { get; init; } = 8192;

    public int LimitRequestFields { get; init; } = 100;

    public int LimitRequestFieldSize { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public string ForwardedAllowIps { get; init; } = "127.0.0.1,::1";

    public IReadOnlyDictionary<string, string> SecureSchemeHeaders { get; init; } = new Dictionary<string, string>();

    public string RootPath { get; init; } = "";

    /// <summary>http_protocols, in order of preference: h1, h2.</summary>
    public IReadOnlyList<string> HttpProtocols { get; init; } = ["h2", "h1"];

    /// <summary>Whether a cleartext socket serves HTTP/2 to a connection that opens with its preface (http2_cleartext).</summary>
    public bool Http2PriorKnowledge { get; init; }

    public string Chdir { get; init; } = System.Environment.CurrentDirectory;

    public string? PidFile { get; init; }

    public int Umask { get; init; }

    public string? ProcName { get; init; }

    /// <summary>user as set: a name or a numeric uid.</summary>
    public string? User { get; init; }

    /// <summary>group as set: a name or a numeric gid.</summary>
    public string? Group { get; init; }

    public bool InitGroups { get; init; }

    /// <summary>Who the workers run as, resolved from user, group and initgroups; null keeps procman's own ids.</summary>
    public Privileges.WorkerIdentity? Identity { get; init; }

    public bool Reload { get; init; }

    public IReadOnlyList<string> ReloadExtraFiles { get; init; } = [];

    /// <summary>The control socket's path as set; null derives it (see <see cref="Control.ControlSocketPath"/>).</summary>
    public string? ControlSocket { get; init; }

    public bool ControlSocketDisabled { get; init; }

    public BindAddress.Tcp? AdminBind { get; init; }

    public int ReadyWorkers { get; init; } = 1;

    /// <summary>
    /// The options for <paramref name="values"/>. Every relative path (binds, certfile, keyfile, pidfile, logs,
    /// dump_dir, reload_extra_files) is made absolute here, against chdir, as in Gunicorn, and here only: a
    /// reload resolves them the same way whatever directory the master is in by then.
    /// </summary>
    /// <param name="startDirectory">The directory procman was started in, which a relative chdir is relative to.</param>
    public static ProcmanOptions From(SettingValues values, AppCommand app, string startDirectory)
    {
        var chdir = Path.GetFullPath(values.Get<string>(Settings.Chdir), startDirectory);
        string? At(string? path) => path is null or "-" ? path : Path.GetFullPath(path, chdir);
        return new()
        {
        App = app,
        Binds = values.Get<IReadOnlyList<string>>(Settings.Bind).Select(text =>
        {
            BindAddress.TryParse(text, out var address, out _);
            return address is BindAddress.Unix unix ? new BindAddress.Unix(At(unix.Path)!) : address!;
        }).Distinct().ToArray(),
        Workers = values.Get<int>(Settings.Workers),
        Backlog = values.Get<int>(Settings.Backlog),
        ReusePort = values.Get<bool>(Settings.ReusePort),
        GracefulTimeout = Seconds(values, Settings.GracefulTimeout),
        ShutdownDelay = Seconds(values, Settings.ShutdownDelay),
        Timeout = Seconds(values, Settings.Timeout),
        BootTimeout = Seconds(values, Settings.BootTimeout),
        ReloadBatch = values.Get<int>(Settings.ReloadBatch),
        BootNice = values.Get<int>(Settings.BootNice),
        DumpDirectory = At((string?)values[Settings.DumpDir]),
        Balance = values.Get<bool>(Settings.Balance),
        MaxRequests = values.Get<int>(Settings.MaxRequests),
        MaxRequestsJitter = values.Get<int>(Settings.MaxRequestsJitter),
        MaxWorkerMemory = values[Settings.MaxWorkerMemory] is string size && ByteSize.TryParse(size, out var bytes, out _) ? bytes : null,
        MaxWorkerLifetime = Seconds(values, Settings.MaxWorkerLifetime),
        MaxWorkerLifetimeJitter = Seconds(values, Settings.MaxWorkerLifetimeJitter),
        Environment = values.Get<IReadOnlyList<string>>(Settings.RawEnv).Select(item =>
        {
            var equals = item.IndexOf('=');
            return KeyValuePair.Create(item[..equals], item[(equals + 1)..]);
        }).ToArray(),
        WarmupPaths = values.Get<IReadOnlyList<string>>(Settings.WarmupPath),
        WarmupRequests = values.Get<int>(Settings.WarmupRequests),
        WarmupTierUpTimeout = Seconds(values, Settings.WarmupTierUpTimeout),
        LogLevel = values.Get<string>(Settings.LogLevel).ToLowerInvariant(),
        LogFormat = values.Get<string>(Settings.LogFormat).ToLowerInvariant(),
        ErrorLog = At(values.Get<string>(Settings.ErrorLog))!,
        AccessLog = At((string?)values[Settings.AccessLog]),
        AccessLogFormat = values.Get<string>(Settings.AccessLogFormat),
        CaptureOutput = values.Get<bool>(Settings.CaptureOutput),
        KeepAlive = Seconds(values, Settings.KeepAlive),
        WorkerConnections = (int?)values[Settings.WorkerConnections],
        LimitRequestLine = values.Get<int>(Settings.LimitRequestLine),
        LimitRequestFields = values.Get<int>(Settings.LimitRequestFields),
        LimitRequestFieldSize = values.Get<int>(Settings.LimitRequestFieldSize),
        CertFile = At((string?)values[Settings.CertFile]),
        KeyFile = At((string?)values[Settings.KeyFile]),
        ForwardedAllowIps = values.Get<string>(Settings.ForwardedAllowIps),
        SecureSchemeHeaders = values.Get<IReadOnlyDictionary<string, string>>(Settings.SecureSchemeHeaders),
        RootPath = values.Get<string>(Settings.RootPath),
        HttpProtocols = Settings.ParseHttpProtocols(values.Get<string>(Settings.HttpProtocols)),
        Http2PriorKnowledge = values.Get<string>(Settings.Http2Cleartext).Equals("prior-knowledge", StringComparison.OrdinalIgnoreCase),
        Chdir = chdir,
        PidFile = At((string?)values[Settings.PidFile]),
        Umask = values.Get<int>(Settings.Umask),
        ProcName = (string?)values[Settings.ProcName],
        User = (string?)values[Settings.User],
        Group = (string?)values[Settings.Group],
        InitGroups = values.Get<bool>(Settings.InitGroups),
        Reload = values.Get<bool>(Settings.Reload),
        ReloadExtraFiles = values.Get<IReadOnlyList<string>>(Settings.ReloadExtraFiles).Select(path => At(path)!).ToArray(),
        ControlSocket = At((string?)values[Settings.ControlSocket]),
        ControlSocketDisabled = values.Get<bool>(Settings.ControlSocketDisable),
        AdminBind = values[Settings.AdminBind] is string admin && BindAddress.TryParse(admin, out var adminAddress, out _) ? adminAddress as BindAddress.Tcp : null,
        ReadyWorkers = values.Get<int>(Settings.ReadyWorkers),
        };
    }

    /// <summary>Checks what no single setting can: files that must exist, settings that need each other. The app is checked by <see cref="AppCommand.Check"/>.</summary>
    public string? Check()
    {
        if (KeyFile is not null && CertFile is null)
        {
            return "keyfile is set but certfile is not; set certfile to the certificate that goes with the key";
        }
        if ((ReadableFileProblem(Settings.CertFile, CertFile) ?? ReadableFileProblem(Settings.KeyFile, KeyFile)) is { } fileProblem)
        {
            return fileProblem;
        }
        if (CertFile is not null)
        {
            try
            {
                using var certificate = Protocol.TlsCertificate.Load(CertFile, KeyFile);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                return $"certfile '{CertFile}' cannot be loaded: {ex.Message.TrimEnd('.')}; give a PEM certificate with its key (keyfile), or a .pfx without a password";
            }
        }
        if (File.Exists(Chdir))
        {
            return $"chdir '{Chdir}' is a file, not a directory";
        }
        if (!Directory.Exists(Chdir))
        {
            return $"chdir '{Chdir}' does not exist; create it first";
        }
        foreach (var (name, path) in new[] { (Settings.ErrorLog, ErrorLog), (Settings.AccessLog, AccessLog ?? "-"), (Settings.PidFile, PidFile ?? "-") })
        {
            if (path != "-" && WritableFileProblem(name, path, Path.GetFullPath(path, Chdir)) is { } problem)
            {
                return problem;
            }
        }
        if (DumpDirectory is not null && File.Exists(DumpDirectory))
        {
            return $"dump_dir '{DumpDirectory}' is a file, not a directory";
        }
        if (DumpDirectory is not null && !Directory.Exists(DumpDirectory))
        {
            return $"dump_dir '{DumpDirectory}' does not exist; create it first";
        }
        foreach (var unix in Binds.OfType<BindAddress.Unix>())
        {
            // A relative path short enough as given may be too long once resolved against chdir.
            if (BindAddress.UnixPathProblem(unix.Path) is { } pathProblem)
            {
                return $"cannot bind {unix}: {pathProblem}";
            }
            if (Path.GetDirectoryName(unix.Path) is { Length: > 0 } directory && !Directory.Exists(directory))
            {
                return File.Exists(directory)
                    ? $"cannot bind {unix}: '{directory}' is a file, not a directory"
                    : $"cannot bind {unix}: directory {directory} does not exist; create it first";
            }
        }
        return null;
    }

    /// <summary>Why a file procman reads (a certificate, a key) cannot be used, or null.</summary>
    private static string? ReadableFileProblem(string name, string? path)
    {
        if (path is null)
        {
            return null;
        }
        if (Directory.Exists(path))
        {
            return $"{name} '{path}' is a directory; give the file itself";
        }
        if (!File.Exists(path))
        {
            return $"{name} '{path}' does not exist";
        }
        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"{name} '{path}' cannot be read: permission denied; make it readable by the user procman runs as";
        }
        catch (IOException ex)
        {
            return $"{name} '{path}' cannot be read: {ex.Message.TrimEnd('.')}";
        }
    }

    /// <summary>Why a file procman writes (a log, the pidfile) cannot be, or null. Creates nothing: --check-config uses it too.</summary>
    private static string? WritableFileProblem(string name, string path, string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            return $"{name} '{path}' is a directory; give a file path";
        }
        if (Path.GetDirectoryName(fullPath) is not { } directory)
        {
            return null;
        }
        if (File.Exists(directory))
        {
            return $"{name} '{path}' is under '{directory}', which is a file, not a directory";
        }
        if (!Directory.Exists(directory))
        {
            return $"{name} '{path}' is in a directory that does not exist: {directory}; create it first";
        }
        if (!File.Exists(fullPath))
        {
            return Libc.CanCreateIn(directory)
                ? null
                : $"{name} '{path}' cannot be created: {directory} is not writable by the user procman runs as; make it writable or give another path";
        }
        try
        {
            // Opened for writing without truncating or creating: the check changes nothing.
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Write);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"{name} '{path}' cannot be written: permission denied; make it writable by the user procman runs as";
        }
        catch (IOException ex)
        {
            return $"{name} '{path}' cannot be written: {ex.Message.TrimEnd('.')}";
        }
    }

    private static TimeSpan Seconds(SettingValues values, string name) => TimeSpan.FromSeconds(values.Get<double>(name));
}
