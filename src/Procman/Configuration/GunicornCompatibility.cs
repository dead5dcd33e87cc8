namespace Procman.Configuration;

/// <summary>
/// Gunicorn settings, flags and hooks that have no meaning for a .NET worker (or that procman does not implement yet).
/// An existing gunicorn.conf.py or GUNICORN_CMD_ARGS that sets them still works: each is named once in a warning and
/// otherwise ignored.
/// </summary>
internal static class GunicornCompatibility
{
    /// <summary>
    /// Every setting of Gunicorn's (its <c>gunicorn/config.py</c>, hooks aside) that procman does not implement, with its
    /// command-line flags and why it is ignored. A config file, PROCMAN_CMD_ARGS or the command line may set them, so that
    /// a gunicorn.conf.py or a GUNICORN_CMD_ARGS string works unchanged: each is named once in a warning.
    /// </summary>
    public static IReadOnlyList<SettingDefinition> IgnoredSettings { get; } =
    [
        Ignored("wsgi_app", [], SettingType.Text, "procman takes the app as its APP argument"),
        Ignored("worker_class", ["--worker-class", "-k"], SettingType.Text, "a .NET worker is always a Kestrel server"),
        Ignored("threads", ["--threads"], SettingType.Text, "Kestrel sizes its own thread pool"),
        Ignored("reload_engine", ["--reload-engine"], SettingType.Text, "procman watches files itself"),
        Ignored("spew", ["--spew"], SettingType.Boolean, "Python-only"),
        Ignored("check_config", ["--check-config"], SettingType.Boolean, "use --check-config on the command line"),
        Ignored("print_config", ["--print-config"], SettingType.Boolean, "use --print-config on the command line"),
        Ignored("preload_app", ["--preload"], SettingType.Boolean, "a .NET app cannot be loaded before fork"),
        Ignored("sendfile", ["--no-sendfile"], SettingType.Boolean, "Kestrel decides how to send files"),
        Ignored("daemon", ["--daemon", "-D"], SettingType.Boolean, "run procman under systemd or a container runtime instead of daemonizing"),
        Ignored("worker_tmp_dir", ["--worker-tmp-dir"], SettingType.Text, "heartbeats go over the worker's channel, not a temp file"),
        Ignored("tmp_upload_dir", [], SettingType.Text, "Python-only"),
        Ignored("disable_redirect_access_to_syslog", ["--disable-redirect-access-to-syslog"], SettingType.Boolean, "Python-only"),
        Ignored("logger_class", ["--logger-class"], SettingType.Text, "Python-only"),
        Ignored("logconfig", ["--log-config"], SettingType.Text, "Python-only"),
        Ignored("logconfig_dict", [], SettingType.Text, "Python-only"),
        Ignored("logconfig_json", ["--log-config-json"], SettingType.Text, "Python-only"),
        Ignored("syslog_addr", ["--log-syslog-to"], SettingType.Text, "log to stderr and let journald collect it"),
        Ignored("syslog", ["--log-syslog"], SettingType.Boolean, "log to stderr and let journald collect it"),
        Ignored("syslog_prefix", ["--log-syslog-prefix"], SettingType.Text, "log to stderr and let journald collect it"),
        Ignored("syslog_facility", ["--log-syslog-facility"], SettingType.Text, "log to stderr and let journald collect it"),
        Ignored("enable_stdio_inheritance", ["--enable-stdio-inheritance", "-R"], SettingType.Boolean, "worker output always reaches procman's stdout and stderr"),
        Ignored("statsd_host", ["--statsd-host"], SettingType.Text, "statsd metrics are not supported"),
        Ignored("dogstatsd_tags", ["--dogstatsd-tags"], SettingType.Text, "statsd metrics are not supported"),
        Ignored("statsd_prefix", ["--statsd-prefix"], SettingType.Text, "statsd metrics are not supported"),
        Ignored("enable_backlog_metric", ["--enable-backlog-metric"], SettingType.Boolean, "statsd metrics are not supported"),
        Ignored("default_proc_name", [], SettingType.Text, "procman names its processes itself; set proc_name to choose"),
        Ignored("pythonpath", ["--pythonpath"], SettingType.Text, "Python-only"),
        Ignored("paste", ["--paste", "--paster"], SettingType.Text, "Python-only"),
        Ignored("proxy_protocol", ["--proxy-protocol"], SettingType.Text, "the PROXY protocol is not supported; let the proxy send X-Forwarded-For (see forwarded_allow_ips)", valueIsOptional: true),
        Ignored("proxy_allow_ips", ["--proxy-allow-from"], SettingType.Text, "the PROXY protocol is not supported; let the proxy send X-Forwarded-For (see forwarded_allow_ips)"),
        Ignored("protocol", ["--protocol"], SettingType.Text, "procman serves HTTP only, not the uwsgi protocol"),
        Ignored("uwsgi_allow_ips", ["--uwsgi-allow-from"], SettingType.Text, "procman serves HTTP only, not the uwsgi protocol"),
        Ignored("ssl_version", ["--ssl-version"], SettingType.Text, "Kestrel negotiates TLS versions itself"),
        Ignored("cert_reqs", ["--cert-reqs"], SettingType.Text, "client certificates are not supported"),
        Ignored("ca_certs", ["--ca-certs"], SettingType.Text, "client certificates are not supported"),
        Ignored("suppress_ragged_eofs", ["--suppress-ragged-eofs"], SettingType.Boolean, "Python-only"),
        Ignored("do_handshake_on_connect", ["--do-handshake-on-connect"], SettingType.Boolean, "Python-only"),
        Ignored("ciphers", ["--ciphers"], SettingType.Text, "Kestrel uses the system's TLS cipher policy"),
        Ignored("http2_max_concurrent_streams", ["--http2-max-concurrent-streams"], SettingType.Text, "not supported yet; Kestrel's HTTP/2 limits apply"),
        Ignored("http2_initial_window_size", ["--http2-initial-window-size"], SettingType.Text, "not supported yet; Kestrel's HTTP/2 limits apply"),
        Ignored("http2_max_frame_size", ["--http2-max-frame-size"], SettingType.Text, "not supported yet; Kestrel's HTTP/2 limits apply"),
        Ignored("http2_max_header_list_size", ["--http2-max-header-list-size"], SettingType.Text, "not supported yet; Kestrel's HTTP/2 limits apply"),
        Ignored("raw_paste_global_conf", ["--paste-global"], SettingType.TextList, "Python-only"),
        Ignored("permit_obsolete_folding", ["--permit-obsolete-folding"], SettingType.Boolean, "Kestrel parses headers itself"),
        Ignored("strip_header_spaces", ["--strip-header-spaces"], SettingType.Boolean, "Kestrel parses headers itself"),
        Ignored("permit_unconventional_http_method", ["--permit-unconventional-http-method"], SettingType.Boolean, "Kestrel parses requests itself"),
        Ignored("permit_unconventional_http_version", ["--permit-unconventional-http-version"], SettingType.Boolean, "Kestrel parses requests itself"),
        Ignored("casefold_http_method", ["--casefold-http-method"], SettingType.Boolean, "Kestrel parses requests itself"),
        Ignored("forwarder_headers", ["--forwarder-headers"], SettingType.Text, "Python-only"),
        Ignored("header_map", ["--header-map"], SettingType.Text, "Kestrel parses headers itself"),
        Ignored("asgi_loop", ["--asgi-loop"], SettingType.Text, "ASGI-only"),
        Ignored("asgi_lifespan", ["--asgi-lifespan"], SettingType.Text, "ASGI-only; the app's host runs its own start-up and shutdown"),
        Ignored("asgi_disconnect_grace_period", ["--asgi-disconnect-grace-period"], SettingType.Text, "ASGI-only"),
        Ignored("http_parser", ["--http-parser"], SettingType.Text, "Kestrel parses requests itself"),
        Ignored("dirty_apps", ["--dirty-app"], SettingType.TextList, "procman has no dirty arbiters (a pool for long Python tasks)"),
        Ignored("dirty_workers", ["--dirty-workers"], SettingType.Text, "procman has no dirty arbiters (a pool for long Python tasks)"),
        Ignored("dirty_timeout", ["--dirty-timeout"], SettingType.Text, "procman has no dirty arbiters (a pool for long Python tasks)"),
        Ignored("dirty_threads", ["--dirty-threads"], SettingType.Text, "procman has no dirty arbiters (a pool for long Python tasks)"),
        Ignored("dirty_graceful_timeout", ["--dirty-graceful-timeout"], SettingType.Text, "procman has no dirty arbiters (a pool for long Python tasks)"),
        Ignored("control_socket_mode", ["--control-socket-mode"], SettingType.Text, "procman's control socket is always mode 0600, and only root and procman's own user may use it"),
    ];

    private static readonly Dictionary<string, SettingDefinition> IgnoredByName = IgnoredSettings.ToDictionary(setting => setting.Name, StringComparer.Ordinal);

    /// <summary>Gunicorn's server hooks; a config file defines them as functions, or assigns them.</summary>
    public static IReadOnlyList<string> Hooks { get; } =
    [
        "on_starting", "on_reload", "when_ready", "pre_fork", "post_fork", "post_worker_init", "worker_int", "worker_abort",
        "pre_exec", "pre_request", "post_request", "child_exit", "worker_exit", "nworkers_changed", "on_exit", "ssl_context",
        "on_dirty_starting", "dirty_post_fork", "dirty_worker_init", "dirty_worker_exit",
    ];

    public static bool TryGetIgnored(string name, out SettingDefinition? setting) => IgnoredByName.TryGetValue(name, out setting);

    /// <summary>Gunicorn's server hooks, with what procman offers instead.</summary>
    public static string HookAdvice(string hook) => hook switch
    {
        "on_starting" or "when_ready" or "on_exit" => "watch procman's log events instead (--log-format json gives stable event ids)",
        "on_reload" => "procman logs each reload step; send SIGHUP to reload",
        "pre_fork" or "post_fork" or "post_worker_init" or "child_exit" or "worker_exit" or "nworkers_changed" or "worker_int" or "worker_abort"
            => "put per-worker start-up and shutdown code in the app (an IHostedService, or IHostApplicationLifetime events)",
        "pre_exec" => "procman starts every worker fresh from the app's files",
        "pre_request" or "post_request" => "use ASP.NET Core middleware in the app",
        "ssl_context" => "use certfile and keyfile",
        _ => "procman runs no Python code",
    };

    private static SettingDefinition Ignored(string name, string[] flags, SettingType type, string why, bool valueIsOptional = false) => new()
    {
        Name = name,
        Type = type,
        Section = "Gunicorn settings procman ignores",
        Flags = flags,
        ValueName = type == SettingType.Boolean ? null : "VALUE",
        ValueIsOptional = valueIsOptional,
        Help = why,
        IgnoredBecause = why,
        AllowsNone = true,
        Default = () => null,
        DefaultText = "None",
    };
}
