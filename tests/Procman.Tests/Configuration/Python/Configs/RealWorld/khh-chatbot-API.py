# From github.com/00jup/khh-chatbot-API, gunicorn.conf.py (commit 124eb65)
# Gunicorn 설정
bind = "127.0.0.1:8080"
workers = 4
worker_class = "sync"
worker_connections = 1000
timeout = 30
keepalive = 2
max_requests = 1000
max_requests_jitter = 100
preload_app = True
