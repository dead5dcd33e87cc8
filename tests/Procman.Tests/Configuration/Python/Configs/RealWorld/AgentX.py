# From github.com/1412049436-netizen/-AgentX, gunicorn.conf.py (commit 9c899f6)
# Gunicorn 生产配置
import multiprocessing

bind = "0.0.0.0:8001"
workers = int(multiprocessing.cpu_count() * 0.5) + 1
worker_class = "uvicorn.workers.UvicornWorker"
proc_name = "agentx"
accesslog = "/app/logs/access.log"
errorlog = "/app/logs/error.log"
loglevel = "info"
graceful_timeout = 30
timeout = 120
keepalive = 5
max_requests = 10000
max_requests_jitter = 1000
preload_app = True
