"""procman configuration for HelloApi, in Gunicorn's syntax.

Run it from the repository root after `dotnet build -c Release`:

    artifacts/bin/Procman/release/procman run artifacts/bin/HelloApi/release/HelloApi.dll -c samples/procman.conf.py

Settings given on the command line or in PROCMAN_CMD_ARGS override the ones here. SIGHUP reads this file
again and replaces the workers without downtime.
"""
import os
import multiprocessing

# A .NET worker is multi-threaded: a few workers per machine are enough (see docs/benchmarks.md).
CORES = multiprocessing.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", min(CORES, 4)))

bind = os.environ.get("BIND", "127.0.0.1:8000")
backlog = 2048

graceful_timeout = 30
timeout = 30
keepalive = 75

if os.environ.get("ENVIRONMENT") == "production":
    accesslog = "-"
    forwarded_allow_ips = "10.0.0.0/8"
    raw_env = ["ASPNETCORE_ENVIRONMENT=Production"]
else:
    raw_env = ["ASPNETCORE_ENVIRONMENT=Development"]
