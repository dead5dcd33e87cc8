# From github.com/100-hours-a-week/5-yeosa-ongi-ai, gunicorn.conf.py (commit 0a518bc)
workers = 3

# 워커 클래스는 Uvicorn
worker_class = "uvicorn.workers.UvicornWorker"

max_requests = 10000
max_requests_jitter = 100

# 타임아웃 제거 (무제한)
timeout = 0

# worker_tmp_dir = "/dev/shm"

keepalive = 10


# preload로 COW 기반 메모리 최적화
preload_app = True

loglevel = "info"
bind = "0.0.0.0:8000"
