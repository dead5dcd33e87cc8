"""Every construct the evaluator added for real-world configs, checked against CPython."""
from __future__ import annotations

import json
import logging
import os
import sys
from multiprocessing import cpu_count

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
CONFIG_NAME, CONFIG_EXT = os.path.splitext(os.path.basename(__file__))
LOG_DIR = os.path.normpath(os.path.join(BASE_DIR, "..", "logs"))
os.environ.setdefault("APP_ENV", "production")
logger = logging.getLogger("gunicorn.conf")


def env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except (TypeError, ValueError):
        return default


def clamp(value, low=1, high=16):
    return max(low, min(high, value))


workers = clamp(env_int("WEB_CONCURRENCY", cpu_count() * 2 + 1))
threads = env_int("THREADS", "not a number")
ports = [int(p) for p in os.environ.get("PORTS", "8000,8001").split(",") if p]
bind = ["%s:%d" % ("127.0.0.1", port) for port in ports]
raw_env = []
for key, value in sorted({"B": "2", "A": "1"}.items()):
    raw_env.append(f"{key}={value}")
secure_scheme_headers = {name.upper(): value for name, value in [("x-forwarded-proto", "https")]}
allowed = {"GET", "POST"} | {"HEAD"}
accesslog = os.path.join(LOG_DIR, "access.log") if os.environ["APP_ENV"] == "production" else "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s'
loglevel = "debug" if os.environ.get("DEBUG", "").lower() in {"1", "true"} else "info"
timeout = 30
while timeout < 100:
    timeout *= 2
assert workers >= 1, "need at least one worker"
print("gunicorn config loaded with", workers, "workers")
sys.path.insert(0, BASE_DIR)
settings_json = json.dumps({"workers": workers})

post_fork = lambda server, worker: server.log.info("forked %s", worker.pid)


def on_starting(server):
    for handler in logging.getLogger().handlers:
        server.log.info(handler)


when_ready = on_starting
