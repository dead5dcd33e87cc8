"""Twelve-factor style: everything comes from the environment, with sane defaults."""
import os
import multiprocessing

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.getenv("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
keepalive = int(os.getenv("KEEPALIVE", 2))
loglevel = os.getenv("LOG_LEVEL", "info").lower()
accesslog = "-" if os.getenv("ACCESS_LOG", "true") == "true" else None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1").split(",")
max_requests = 1000
max_requests_jitter = max_requests // 20
