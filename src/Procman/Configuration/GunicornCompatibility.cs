namespace Procman.Configuration;

/// <summary>
/// Gunicorn settings and hooks that have no meaning for a .NET worker. An existing gunicorn.conf.py that
/// sets them still loads: each is named once in a warning and otherwise ignored.
/// </summary>
internal static class GunicornCompatibility
{
    /// <summary>Python/WSGI-only (or not yet supported) settings, with why they are ignored.</summary>
    public static readonly IReadOnlyDictionary<string, string> IgnoredSettings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["wsgi_app"] = "procman takes the app as its APP argument",
        ["worker_class"] = "a .NET worker is always a Kestrel server",
        ["threads"] = "Kestrel sizes its own thread pool",
        ["worker_tmp_dir"] = "heartbeats go over the worker's channel, not a temp file",
        ["preload_app"] = "a .NET app cannot be loaded before fork",
        ["sendfile"] = "Kestrel decides how to send files",
        ["pythonpath"] = "Python-only",
        ["paste"] = "Python-only",
        ["raw_paste_global_conf"] = "Python-only",
        ["reload_engine"] = "procman watches files itself",
        ["spew"] = "Python-only",
        ["daemon"] = "run procman under systemd or a container runtime instead of daemonizing",
        ["initgroups"] = "user switching is not supported",
        ["tmp_upload_dir"] = "Python-only",
        ["logger_class"] = "Python-only",
        ["logconfig"] = "Python-only",
        ["logconfig_dict"] = "Python-only",
        ["logconfig_json"] = "Python-only",
        ["syslog"] = "log to stderr and let journald collect it",
        ["syslog_addr"] = "log to stderr and let journald collect it",
        ["syslog_prefix"] = "log to stderr and let journald collect it",
        ["syslog_facility"] = "log to stderr and let journald collect it",
        ["disable_redirect_access_to_syslog"] = "Python-only",
        ["enable_stdio_inheritance"] = "worker output always reaches procman's stdout and stderr",
        ["statsd_host"] = "not supported",
        ["statsd_prefix"] = "not supported",
        ["dogstatsd_tags"] = "not supported",
        ["proxy_protocol"] = "not supported",
        ["proxy_allow_ips"] = "not supported",
        ["ssl_version"] = "Kestrel negotiates TLS versions itself",
        ["ciphers"] = "Kestrel uses the system's TLS cipher policy",
        ["cert_reqs"] = "client certificates are not supported",
        ["ca_certs"] = "client certificates are not supported",
        ["suppress_ragged_eofs"] = "Python-only",
        ["do_handshake_on_connect"] = "Python-only",
        ["strip_header_spaces"] = "Kestrel parses headers itself",
        ["permit_unconventional_http_method"] = "Kestrel parses requests itself",
        ["permit_unconventional_http_version"] = "Kestrel parses requests itself",
        ["casefold_http_method"] = "Kestrel parses requests itself",
        ["header_map"] = "Kestrel parses headers itself",
        ["forwarder_headers"] = "Python-only",
        ["print_config"] = "use --print-config on the command line",
        ["check_config"] = "use --check-config on the command line",
    };

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
}
