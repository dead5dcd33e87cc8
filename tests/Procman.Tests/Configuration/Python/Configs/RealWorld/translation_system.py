# From github.com/2405008450/translation_system, gunicorn.conf.py (commit b01a0e5)
"""Gunicorn 运行配置。"""

import os

# worker 数量优先读取 WEB_CONCURRENCY，默认 4。
workers = int(os.getenv("WEB_CONCURRENCY", "4"))
worker_class = "uvicorn.workers.UvicornWorker"
bind = os.getenv("GUNICORN_BIND", "0.0.0.0:19013")

preload_app = True

timeout = int(os.getenv("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.getenv("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.getenv("GUNICORN_KEEPALIVE", "5"))


def post_fork(server, worker):  # noqa: ARG001
    """fork 出 worker 后丢弃从主进程继承的连接池，强制每个 worker 重建自己的连接。"""
    from app.database import engine

    engine.dispose()
